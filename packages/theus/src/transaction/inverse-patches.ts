import { applyPatches, getIn } from '../context/tree.js';
import type { Patch } from './patches.js';

/**
 * The patches that turn the state a commit produced back into `before`, the state it was
 * installed on: computed only when a `commit` listener asks for them, from the commit's own
 * patches (signal clears included), so a commit nobody listens to builds none. Each patch is
 * inverted against the state the earlier patches of the commit left, so a key deleted and added
 * again in one commit inverts exactly. Frozen, like every patch handed out.
 */
export function invertPatches(before: object, patches: readonly Patch[]): readonly Patch[] {
  const inverse: Patch[] = [];
  let state: unknown = before;
  for (let i = 0; i < patches.length; i++) {
    const patch = patches[i] as Patch;
    const old = patch.op === 'add' ? undefined : getIn(state, patch.path);
    // Committed values are never undefined: undefined means the key was absent.
    inverse.push(
      Object.freeze(
        old === undefined
          ? { op: 'remove', path: patch.path }
          : { op: patch.op === 'remove' ? 'add' : 'replace', path: patch.path, value: old },
      ),
    );
    if (i < patches.length - 1) state = applyPatches(state, [patch]);
  }
  return Object.freeze(inverse.reverse());
}
