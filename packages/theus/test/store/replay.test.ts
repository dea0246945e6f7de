import { describe, expect, it } from 'vitest';
import { applyPatches } from '../../src/context/tree.js';
import { sealValue } from '../../src/context/value-model.js';
import { SchemaViolationError } from '../../src/errors/index.js';
import { replayCommits } from '../../src/store/replay.js';
import type { CommitRecord } from '../../src/store/store.js';
import type { Patch } from '../../src/transaction/patches.js';
import { thrown } from './sqlite-helpers.js';

const SEED = { domain: { n: 0, list: [1, 2, 3], nested: { a: 1 } } };

function record(version: number, ...patches: Patch[]): CommitRecord {
  return { version, process: 'p', args: undefined, patches, time: 0 };
}

/** The state after replaying one commit of `patches` onto the seed. */
function replayed(...patches: Patch[]): { domain: { list: unknown[] } & Record<string, unknown> } {
  return replayCommits(SEED, [record(1, ...patches)]) as never;
}

/** The error replaying one commit of `patch` onto the seed throws. */
function refused(patch: Patch): SchemaViolationError {
  const error = thrown(() => replayCommits(SEED, [record(7, patch)]));
  expect(error, JSON.stringify(patch)).toBeInstanceOf(SchemaViolationError);
  expect(error.message).toContain('version 7');
  return error as SchemaViolationError;
}

describe('replayCommits: stored patches build only what a commit could', () => {
  it("refuses a path through '__proto__' anywhere, and never touches a prototype", () => {
    const patches: Patch[] = [
      { op: 'replace', path: ['__proto__'], value: { polluted: 1 } },
      { op: 'add', path: ['__proto__', 'polluted'], value: 1 },
      { op: 'add', path: ['domain', '__proto__', 'polluted'], value: 1 },
      { op: 'replace', path: ['domain', 'nested', '__proto__'], value: {} },
      { op: 'remove', path: ['domain', '__proto__'] },
      { op: 'replace', path: ['domain', 'list', '__proto__'], value: [] },
    ];
    for (const patch of patches) {
      const error = refused(patch);
      expect(error.message).toContain("'__proto__'");
      expect(error.details).toMatchObject({ version: 7 });
    }
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('refuses an empty path', () => {
    expect(refused({ op: 'replace', path: [], value: {} }).message).toContain('empty path');
  });

  it('refuses named properties, holes and out-of-bounds indices in arrays', () => {
    const list = ['domain', 'list'];
    const patches: Patch[] = [
      { op: 'replace', path: [...list, 'length'], value: 1_000_000 },
      { op: 'replace', path: [...list, 'length'], value: 4 },
      { op: 'replace', path: [...list, 'length'], value: -1 },
      { op: 'replace', path: [...list, 'length'], value: 1.5 },
      { op: 'replace', path: [...list, 'length'], value: '1' },
      { op: 'add', path: [...list, 'length'], value: 1 },
      { op: 'remove', path: [...list, 'length'] },
      { op: 'replace', path: [...list, 'length', 'x'], value: 1 },
      { op: 'replace', path: [...list, 'foo'], value: 1 },
      { op: 'replace', path: [...list, '1'], value: 1 },
      { op: 'replace', path: [...list, -1], value: 1 },
      { op: 'replace', path: [...list, 1.5], value: 1 },
      { op: 'replace', path: [...list, 10], value: 1 },
      { op: 'replace', path: [...list, 3], value: 1 },
      { op: 'remove', path: [...list, 3] },
      { op: 'add', path: [...list, 4], value: 1 },
      { op: 'add', path: [...list, 3, 'x'], value: 1 },
      { op: 'replace', path: [...list, 5, 'x'], value: 1 },
    ];
    for (const patch of patches) expect(refused(patch).details).toMatchObject({ path: patch.path.join('.') });
  });

  it('applies what the committer makes: appends, inserts, replacements, removals and truncations', () => {
    const list = ['domain', 'list'];
    expect(replayed({ op: 'add', path: [...list, 3], value: 4 }, { op: 'add', path: [...list, 4], value: 5 }).domain.list).toEqual([
      1, 2, 3, 4, 5,
    ]);
    expect(replayed({ op: 'add', path: [...list, 0], value: 0 }).domain.list).toEqual([0, 1, 2, 3]);
    expect(replayed({ op: 'replace', path: [...list, 2], value: 9 }).domain.list).toEqual([1, 2, 9]);
    expect(replayed({ op: 'remove', path: [...list, 2] }, { op: 'remove', path: [...list, 1] }).domain.list).toEqual([1]);
    for (const length of [0, 2, 3]) {
      expect(replayed({ op: 'replace', path: [...list, 'length'], value: length }).domain.list).toEqual([1, 2, 3].slice(0, length));
    }
    // A path through an existing element, and keys of objects (numbers too) are any names but '__proto__'.
    const objects = replayCommits({ domain: { rows: [{ a: 1 }] } }, [
      record(
        1,
        { op: 'replace', path: ['domain', 'rows', 0, 'a'], value: 2 },
        { op: 'add', path: ['domain', 'map', 5], value: 'five' },
        { op: 'add', path: ['domain', 'map', 'constructor'], value: 'c' },
      ),
    ]);
    expect(objects).toEqual({ domain: { rows: [{ a: 2 }], map: { 5: 'five', constructor: 'c' } } });
  });

  it('checks each patch against the state the patches before it made', () => {
    // Two appends in one commit: the second is in bounds only after the first.
    const list = ['domain', 'list'];
    expect(replayed({ op: 'add', path: [...list, 3], value: 4 }, { op: 'replace', path: [...list, 3], value: 5 }).domain.list).toEqual([
      1, 2, 3, 5,
    ]);
    const error = thrown(() =>
      replayCommits(SEED, [
        record(1, { op: 'replace', path: [...list, 'length'], value: 1 }),
        record(2, { op: 'remove', path: [...list, 1] }),
      ]),
    );
    expect(error.message).toContain('version 2');
  });
});

describe('applyPatches: object keys are defined, never assigned', () => {
  it("keeps a '__proto__' key an own key: no prototype is set", () => {
    const root = sealValue({ domain: { a: 1 } }, { who: 'test', path: [], zone: 'DATA' });
    const value = sealValue({ polluted: true }, { who: 'test', path: [], zone: 'DATA' });
    const next = applyPatches(root, [{ op: 'add', path: ['domain', '__proto__'], value }]) as { domain: Record<string, unknown> };
    expect(Object.getPrototypeOf(next.domain)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(next.domain, '__proto__')?.value).toBe(value);
    expect(next.domain.polluted).toBeUndefined();
    expect(Object.isFrozen(next.domain)).toBe(true);
  });
});
