import { formatPath } from '../context/paths.js';
import { applyPatches, getChild } from '../context/tree.js';
import { sealValue } from '../context/value-model.js';
import { zoneOfPath } from '../context/zones.js';
import { SchemaViolationError } from '../errors/index.js';
import type { Patch } from '../transaction/patches.js';
import type { CommitRecord } from './store.js';

/**
 * Replays commits read from a store onto a state: the state and every patch value are sealed
 * (checked against the value model, frozen, large objects as records), and every patch path is
 * checked against the state it applies to (see {@link checkPatchPath}); then the patches are
 * applied in order exactly as the committer applies them, so a replay from version 0 rebuilds
 * the state every commit produced. Values already sealed (a memory store's) cost nothing.
 *
 * @throws SchemaViolationError when stored data is outside the value model, or a patch would
 *   build something outside it (naming the version and the path).
 */
export function replayCommits(state: object, records: Iterable<CommitRecord>): object {
  let root = sealValue(state, { who: 'The stored state', path: [], zone: 'DATA' }) as object;
  for (const record of records) {
    // One patch at a time: each is checked against the state the ones before it made.
    for (const patch of record.patches) {
      checkPatchPath(root, patch, record.version);
      root = applyPatches(root, [sealedPatch(patch, record.version)]) as object;
    }
  }
  return root;
}

function sealedPatch(patch: Patch, version: number): Patch {
  if (patch.op === 'remove') return patch;
  const value = sealValue(patch.value, {
    who: `The stored commit of version ${String(version)}`,
    path: [...patch.path],
    zone: zoneOfPath(patch.path),
  });
  return value === patch.value ? patch : { op: patch.op, path: patch.path, value };
}

/**
 * Checks that a stored patch only makes what a commit could have made (stored data is untrusted:
 * `applyPatches` trusts its patches, which the committer makes):
 * - a non-empty path, no segment `__proto__` (it could name a prototype instead of a key);
 * - in an array, an integer index within bounds (`add`: 0 to the length, which appends;
 *   `replace` and `remove`: an existing element), or `length` last, replaced by an integer from 0
 *   to the current length (the committer truncates arrays so): never a named property, a hole
 *   or a negative index.
 *
 * @throws SchemaViolationError (`TX_INVALID_VALUE`) naming the version and the path.
 */
function checkPatchPath(root: object, patch: Patch, version: number): void {
  const path = patch.path;
  if (path.length === 0) refuse(version, patch, 'an empty path (a patch changes a key of the state, never the whole state)');
  let node: unknown = root;
  for (let i = 0; i < path.length; i++) {
    const key = path[i];
    if (key === '__proto__') refuse(version, patch, "a path through '__proto__' (no key of the state has that name)");
    const last = i === path.length - 1;
    if (Array.isArray(node)) {
      const length = node.length;
      if (key === 'length') {
        const value = patch.value;
        if (!last || patch.op !== 'replace' || typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > length) {
          refuse(version, patch, `a change of the length of an array of ${length} elements other than truncating it`);
        }
      } else {
        const end = last && patch.op === 'add' ? length : length - 1;
        if (typeof key !== 'number' || !Number.isInteger(key) || key < 0 || key > end) {
          refuse(
            version,
            patch,
            `the segment ${JSON.stringify(key)} in an array of ${length} elements (an index from 0 to ${end} was expected)`,
          );
        }
      }
    }
    if (!last) node = getChild(node, key as string | number);
  }
}

function refuse(version: number, patch: Patch, what: string): never {
  const shown = formatPath(patch.path);
  throw new SchemaViolationError(
    'TX_INVALID_VALUE',
    `The stored commit of version ${String(version)} has a patch (${patch.op}) at '${shown}' that no commit makes: ${what}.`,
    { details: { version, path: shown } },
  );
}
