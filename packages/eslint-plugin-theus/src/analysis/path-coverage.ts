/** Top-level members of `ctx` that are helpers, not state paths: never checked against the contract. */
const HELPERS: ReadonlySet<string> = new Set(['local', 'log', 'outbox', 'signal']);

/** Splits a dotted contract path into segments; a trailing `.*` means the parent itself. */
export function parseDeclaredPath(text: string): string[] {
  return (text.endsWith('.*') ? text.slice(0, -2) : text).split('.');
}

/** True when `prefix` equals `path` or is one of its ancestors. */
export function isPrefix(prefix: readonly string[], path: readonly string[]): boolean {
  if (prefix.length > path.length) return false;
  return prefix.every((segment, i) => segment === path[i]);
}

/** True when a declared path equals `path` or contains it (a declared path covers its subtree). */
export function isCovered(path: readonly string[], declared: readonly (readonly string[])[]): boolean {
  return declared.some((d) => isPrefix(d, path));
}

/** True when `path` is a proper ancestor of a declared path (`domain` for `domain.accounts`). */
export function isAncestorOfDeclared(path: readonly string[], declared: readonly (readonly string[])[]): boolean {
  return declared.some((d) => d.length > path.length && isPrefix(path, d));
}

/** True for `ctx.local`, `ctx.log`, `ctx.outbox`, `ctx.signal` and what lies below them. */
export function isHelperPath(path: readonly string[]): boolean {
  const first = path[0];
  return first !== undefined && HELPERS.has(first);
}

/** How messages show a `ctx` path: `ctx.domain.accounts`, with `[…]` for a key that is not static. */
export function formatCtxPath(segments: readonly string[], dynamic: boolean): string {
  return ['ctx', ...segments].join('.') + (dynamic ? '[…]' : '');
}
