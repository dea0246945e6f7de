import { applyPatches } from '../context/tree.js';
import { sealValue } from '../context/value-model.js';
import { zoneOfPath } from '../context/zones.js';
import type { Patch } from '../transaction/patches.js';
import type { CommitRecord } from './store.js';

/**
 * Replays commits read from a store onto a state: the state and every patch value are sealed
 * (checked against the value model, frozen, large objects as records), then the patches are
 * applied in order exactly as the committer applies them, so a replay from version 0 rebuilds
 * the state every commit produced. Values already sealed (a memory store's) cost nothing.
 *
 * @throws SchemaViolationError when stored data is outside the value model (naming its path).
 */
export function replayCommits(state: object, records: Iterable<CommitRecord>): object {
  let root = sealValue(state, { who: 'The stored state', path: [], zone: 'DATA' }) as object;
  for (const record of records) {
    const patches = record.patches.map((patch) => sealedPatch(patch, record.version));
    root = applyPatches(root, patches) as object;
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
