/**
 * Turning drafts into the resolved recipe: follows `inherits` chains (reporting unknown targets
 * and cycles), concatenates rules base-first, and applies settings nearest-first:
 * rule > process > its bases (nearest first) > top-level defaults > built-ins.
 *
 * @packageDocumentation
 */
import { locate, suggest, type IssueList } from './recipe-issues.js';
import type { ProcessDraft } from './recipe-process.js';
import type { RootDraft } from './recipe-root.js';
import type { RuleDraft } from './recipe-rule.js';
import { resolveSettings, type SettingsDraft } from './recipe-settings.js';
import type { AuditGate, AuditProcessRecipe, AuditRecipe, AuditRule } from './recipe-types.js';

/** Resolves every process (bases are folded in, not listed) into an unfrozen recipe. */
export function resolveRecipe(draft: RootDraft, issues: IssueList): AuditRecipe {
  const defaults = resolveSettings([draft.defaults], issues);
  const processes = Object.create(null) as Record<string, AuditProcessRecipe>;
  for (const process of draft.processes.values()) {
    const chain = inheritanceChain(process, draft.processes, issues);
    if (process.name.startsWith('_')) continue;
    const settingsChain: SettingsDraft[] = [...chain.map((d) => d.settings), draft.defaults];
    const base = [...chain].reverse();
    const recipe: AuditProcessRecipe = {
      name: process.name,
      at: { line: process.namePos.line, column: process.namePos.column, path: process.namePath },
      inherits: chain.slice(1).map((d) => d.name),
      settings: resolveSettings(settingsChain, issues),
      inputs: resolveRules(
        'input',
        base.flatMap((d) => d.inputs),
        settingsChain,
        issues,
      ),
      outputs: resolveRules(
        'output',
        base.flatMap((d) => d.outputs),
        settingsChain,
        issues,
      ),
      sideEffects: base.flatMap((d) => d.sideEffects),
      errors: base.flatMap((d) => d.errors),
    };
    Object.defineProperty(processes, process.name, { value: recipe, enumerable: true });
  }
  return { file: issues.file, defaults, processes };
}

/** The process and its bases, nearest first; stops (with an issue) at an unknown target or a cycle. */
function inheritanceChain(process: ProcessDraft, all: ReadonlyMap<string, ProcessDraft>, issues: IssueList): ProcessDraft[] {
  const chain = [process];
  let current = process;
  while (current.inherits !== undefined) {
    const { value: target, pos, path } = current.inherits;
    const next = all.get(target);
    if (next === undefined) {
      issues.add(pos, path, `'${current.name}' inherits unknown recipe '${target}'${suggest(target, all.keys())}`);
      break;
    }
    const seen = chain.indexOf(next);
    if (seen !== -1) {
      reportCycle(chain.slice(seen), issues);
      break;
    }
    chain.push(next);
    current = next;
  }
  return chain;
}

/** Reports a cycle once, at the `inherits` of its alphabetically first member. */
function reportCycle(members: readonly ProcessDraft[], issues: IssueList): void {
  const names = members.map((m) => m.name);
  const start = names.indexOf([...names].sort()[0] ?? '');
  const rotated = [...members.slice(start), ...members.slice(0, start)];
  const first = rotated[0];
  if (first?.inherits === undefined) return;
  const loop = [...rotated.map((m) => m.name), first.name].join(' → ');
  issues.add(first.inherits.pos, first.inherits.path, `inheritance cycle: ${loop}`);
}

function resolveRules(gate: AuditGate, drafts: readonly RuleDraft[], chain: readonly SettingsDraft[], issues: IssueList): AuditRule[] {
  return drafts.map((draft, index) => {
    const rule: AuditRule = {
      gate,
      index,
      field: draft.field,
      checks: draft.checks,
      ...resolveSettings([draft.settings, ...chain], issues),
      where: locate(issues.file, draft.pos, draft.path),
      fieldAt: { line: draft.fieldPos.line, column: draft.fieldPos.column, path: draft.fieldPath },
    };
    return draft.message === undefined ? rule : { ...rule, message: draft.message };
  });
}
