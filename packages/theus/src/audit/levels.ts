/**
 * Audit levels: how hard a failing rule hits once its counter reaches `max_threshold`.
 *
 * @packageDocumentation
 */

/** The audit levels, strongest first: Stop, Abort, Block, Count, Info. */
export const AUDIT_LEVELS = ['S', 'A', 'B', 'C', 'I'] as const;

/** One audit level letter. */
export type AuditLevel = (typeof AUDIT_LEVELS)[number];

/**
 * What the engine must do after a gate check, weakest first. `count` means rules failed but every
 * counter is still below its thresholds, so nothing is due yet.
 */
export const AUDIT_ACTIONS = ['pass', 'count', 'info', 'warn', 'block', 'abort', 'stop'] as const;

/** One action of {@link AUDIT_ACTIONS}. */
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** The action each level triggers when its counter reaches `max_threshold`. */
export const LEVEL_ACTIONS: Readonly<Record<AuditLevel, AuditAction>> = Object.freeze({
  S: 'stop',
  A: 'abort',
  B: 'block',
  C: 'warn',
  I: 'info',
});

/** Level names accepted in recipes (case-insensitive), including the original's long names. */
const LEVEL_NAMES: ReadonlyMap<string, AuditLevel> = new Map<string, AuditLevel>([
  ['s', 'S'],
  ['stop', 'S'],
  ['shutdown', 'S'],
  ['a', 'A'],
  ['abort', 'A'],
  ['alert', 'A'],
  ['b', 'B'],
  ['block', 'B'],
  ['c', 'C'],
  ['count', 'C'],
  ['caution', 'C'],
  ['i', 'I'],
  ['info', 'I'],
]);

/** The level a recipe spelling names (`B`, `block`, `BLOCK`, `Alert`...), or `undefined`. */
export function parseLevel(text: string): AuditLevel | undefined {
  return LEVEL_NAMES.get(text.trim().toLowerCase());
}

/** The rank of an action: higher is stronger. */
export function actionRank(action: AuditAction): number {
  return AUDIT_ACTIONS.indexOf(action);
}

/** The stronger of two actions. */
export function strongerAction(a: AuditAction, b: AuditAction): AuditAction {
  return actionRank(b) > actionRank(a) ? b : a;
}

/** The rank of a level: higher is stronger (S highest). */
export function levelRank(level: AuditLevel): number {
  return AUDIT_LEVELS.length - AUDIT_LEVELS.indexOf(level);
}
