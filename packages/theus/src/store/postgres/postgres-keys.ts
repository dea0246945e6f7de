/**
 * State paths as the keys of the `paths` table, where "is an ancestor of" is "is a string prefix
 * of" (in the `C` collation): each segment, `String()`'d and escaped, followed by `/`, so `[]` is
 * `''` and `['a', 'b']` is `'a/b/'`. Escaping makes the keys unambiguous and storable: `%` is
 * `%25`, `/` is `%2F` (so a segment never holds the separator), NUL (which PostgreSQL text
 * cannot hold) is `%00`, and a lone surrogate (which `jsonb` refuses) is `%` and its four hex
 * digits. No escape is a prefix of another, so distinct paths have distinct keys.
 *
 * @packageDocumentation
 */
import type { PathSegments } from '../../context/paths.js';

const ESCAPED = /[%/\0]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function escapeOne(char: string): string {
  const code = char.charCodeAt(0);
  return `%${code
    .toString(16)
    .toUpperCase()
    .padStart(code > 0xff ? 4 : 2, '0')}`;
}

/** One segment, escaped and followed by the separator. */
function segmentKey(segment: string | number): string {
  return `${String(segment).replace(ESCAPED, escapeOne)}/`;
}

/** The key of `path`. */
export function pathKey(path: PathSegments): string {
  let key = '';
  for (const segment of path) key += segmentKey(segment);
  return key;
}

/** The keys of the strict ancestors of `path`, the root (`''`) first; none for the root. */
export function ancestorKeys(path: PathSegments): string[] {
  const keys: string[] = [];
  let key = '';
  for (let i = 0; i < path.length; i++) {
    keys.push(key);
    key += segmentKey(path[i] as string | number);
  }
  return keys;
}

/** The keys of `path` and its ancestors, the root first and `path` last. */
export function lineageKeys(path: PathSegments): string[] {
  const keys = ancestorKeys(path);
  keys.push(pathKey(path));
  return keys;
}
