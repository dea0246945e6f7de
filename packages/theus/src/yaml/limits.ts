/**
 * The bounds every loader applies to untrusted definitions (workflows, state machines, audit
 * recipes), whether they arrive as YAML text, as a file or as an object: how much text, how many
 * nodes, how deep, how many alias expansions. A definition past a bound is refused with the
 * loader's usual typed error, naming the file and the bound, before it can block the event loop or
 * overflow the stack.
 *
 * @packageDocumentation
 */

/** Bounds on one definition. Every field is optional; omitted fields take the defaults. */
export interface InputLimits {
  /** Longest accepted text, in UTF-8 bytes (files are checked before they are read). Default 1 MiB (1,048,576). */
  readonly maxInputBytes?: number;
  /** Most nodes (scalars, keys, lists, mappings) one definition may hold, aliases expanded. Default 100,000. */
  readonly maxNodes?: number;
  /** Deepest nesting of lists and mappings (at most 1,000). Default 100. */
  readonly maxDepth?: number;
  /** Most alias expansions (`*name`) in one YAML document; stops "billion laughs" bombs. Default 100. */
  readonly maxAliases?: number;
}

/** Bounds with every default filled in. */
export type ResolvedInputLimits = Readonly<Required<InputLimits>>;

/** The bounds used when none are given. */
export const DEFAULT_INPUT_LIMITS: ResolvedInputLimits = Object.freeze({
  maxInputBytes: 1_048_576,
  maxNodes: 100_000,
  maxDepth: 100,
  maxAliases: 100,
});

/** The deepest `maxDepth` accepted: deeper nesting would overflow the stack of the YAML library. */
export const MAX_DEPTH_LIMIT = 1_000;

const NAMES = Object.keys(DEFAULT_INPUT_LIMITS) as (keyof InputLimits)[];

/**
 * Frozen bounds built by {@link resolveInputLimits}: passed again (an engine passes its own on
 * every load), they are returned as they are instead of being checked and copied again.
 */
const resolvedLimits = new WeakSet<object>([DEFAULT_INPUT_LIMITS]);

/**
 * Fills in the defaults of `limits`, or returns a problem statement naming the bad field (callers
 * throw it with their own typed error). Each bound is a positive integer (`Infinity` lifts it,
 * except `maxDepth`, which is at most {@link MAX_DEPTH_LIMIT}).
 */
export function resolveInputLimits(limits: unknown): ResolvedInputLimits | string {
  if (limits === undefined) return DEFAULT_INPUT_LIMITS;
  if (resolvedLimits.has(limits as object)) return limits as ResolvedInputLimits;
  if (typeof limits !== 'object' || limits === null || Array.isArray(limits)) {
    return `the limits option must be an object such as { maxInputBytes: 1048576 }, got ${typeof limits}`;
  }
  const given = limits as Record<string, unknown>;
  const unknown = Object.keys(given).filter((key) => !(NAMES as string[]).includes(key));
  if (unknown.length > 0) return `unknown limit '${unknown[0] ?? ''}' (known: ${NAMES.join(', ')})`;
  const filled: Record<string, number> = { ...DEFAULT_INPUT_LIMITS };
  for (const name of NAMES) {
    const value = given[name];
    if (value === undefined) continue;
    const positive = typeof value === 'number' && value > 0 && (Number.isSafeInteger(value) || value === Infinity);
    if (!positive) return `limit ${name} must be a positive integer, got ${shown(value)}`;
    if (name === 'maxDepth' && value > MAX_DEPTH_LIMIT)
      return `limit maxDepth must be at most ${String(MAX_DEPTH_LIMIT)}, got ${String(value)}`;
    filled[name] = value;
  }
  const frozen = Object.freeze(filled) as ResolvedInputLimits;
  resolvedLimits.add(frozen);
  return frozen;
}

/** A value as a message shows it: primitives as written, anything else by its type. */
export function shown(value: unknown): string {
  return typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean' || typeof value === 'bigint'
    ? String(value)
    : value === null
      ? 'null'
      : typeof value;
}

/**
 * The UTF-8 size of `text` if it is more than `maxBytes`, else `undefined`. Counting stops as soon
 * as the bound is passed, and text short enough to fit whatever its characters is not counted.
 */
export function bytesOver(text: string, maxBytes: number): number | undefined {
  if (text.length * 3 <= maxBytes) return undefined;
  if (text.length > maxBytes) return text.length;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
    if (bytes > maxBytes) return bytes;
  }
  return undefined;
}

/** A number with thousands separators, for messages. */
export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

/** The message refusing text or a file past `maxInputBytes`; `size` is exact when `exact` is set. */
export function tooLargeMessage(size: number, maxBytes: number, exact: boolean): string {
  const measured = exact ? `${formatCount(size)} bytes` : `more than ${formatCount(maxBytes)} bytes`;
  return (
    `the definition is ${measured}, over the limit of ${formatCount(maxBytes)} bytes (maxInputBytes): ` +
    'split it into smaller files, or raise the maxInputBytes limit'
  );
}
