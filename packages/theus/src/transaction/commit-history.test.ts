import { describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { isPrefixOf, pathsOverlap, type PathSegments } from '../context/paths.js';
import { CommitHistory } from './commit-history.js';

const segment = fc.constantFrom('a', 'b', 'c', 0, 1);
const path = fc.array(segment, { maxLength: 3 });
const commits = fc.array(fc.array(path, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 40 });

/** Replays `writes` (one list per version, from 1) into a history of `capacity`. */
function historyOf(capacity: number, writes: readonly (readonly PathSegments[])[]): CommitHistory {
  const history = new CommitHistory(capacity);
  writes.forEach((paths, i) =>
    history.record(
      i + 1,
      paths.map((p) => ({ path: p })),
    ),
  );
  return history;
}

/** The writes made after `start`, and whether some of them were forgotten. */
function since(
  capacity: number,
  writes: readonly (readonly PathSegments[])[],
  start: number,
): { paths: PathSegments[]; forgotten: boolean } {
  const oldest = Math.max(1, writes.length - capacity + 1);
  return { paths: writes.slice(start).flat(), forgotten: oldest > start + 1 };
}

describe('CommitHistory (indexed) agrees with scanning every commit since the start', () => {
  // Capacities above the scan limit (16) with more commits than the capacity: checks use the
  // scan, the index (catching up, then started afresh once it holds a capacity of commits) and the
  // "forgotten" answer.
  test.prop([
    fc.array(fc.array(path, { minLength: 1, maxLength: 2 }), { minLength: 80, maxLength: 80 }),
    fc.array(fc.tuple(fc.nat(), fc.array(path, { maxLength: 3 })), { minLength: 80, maxLength: 80 }),
    fc.constantFrom(18, 20, 32),
  ])('checks made between commits (the index catching up, lagging, starting afresh) agree with a scan', (writes, checks, capacity) => {
    const history = new CommitHistory(capacity);
    writes.forEach((paths, i) => {
      history.record(
        i + 1,
        paths.map((p) => ({ path: p })),
      );
      const [seed, touched] = checks[i] as [number, PathSegments[]];
      const current = i + 1;
      const start = seed % (current + 1);
      const found = history.firstOverlap(start, current, touched);
      const { paths: later, forgotten } = since(capacity, writes.slice(0, current), start);
      if (forgotten) {
        expect(found).toEqual([]);
        return;
      }
      expect(found !== undefined).toBe(later.some((w) => touched.some((t) => pathsOverlap(w, t))));
      if (found !== undefined) expect(touched.some((t) => pathsOverlap(found, t))).toBe(true);
    });
  });

  test.prop([commits, fc.nat(), fc.array(path, { maxLength: 4 }), fc.constantFrom(4, 8, 4096)])(
    'firstOverlap: a conflict exactly when a later write overlaps a touched path, and it names one',
    (writes, startSeed, touched, capacity) => {
      const start = startSeed % (writes.length + 1);
      const history = historyOf(capacity, writes);
      const found = history.firstOverlap(start, writes.length, touched);
      const { paths, forgotten } = since(capacity, writes, start);
      if (forgotten) {
        expect(found).toEqual([]);
        return;
      }
      const expected = paths.some((w) => touched.some((t) => pathsOverlap(w, t)));
      expect(found !== undefined).toBe(expected);
      if (found !== undefined) {
        expect(paths.some((w) => w === found)).toBe(true);
        expect(touched.some((t) => pathsOverlap(found, t))).toBe(true);
      }
    },
  );

  test.prop([commits, fc.nat(), fc.array(path, { maxLength: 4 }), fc.constantFrom(4, 8, 4096)])(
    'firstCovering: a conflict exactly when a later write is at or above an observed path',
    (writes, startSeed, observed, capacity) => {
      const start = startSeed % (writes.length + 1);
      const history = historyOf(capacity, writes);
      const found = history.firstCovering(start, writes.length, observed);
      const { paths, forgotten } = since(capacity, writes, start);
      if (forgotten) {
        expect(found).toEqual([]);
        return;
      }
      const expected = paths.some((w) => observed.some((o) => isPrefixOf(w, o)));
      expect(found !== undefined).toBe(expected);
      if (found !== undefined) expect(observed.some((o) => isPrefixOf(found, o))).toBe(true);
    },
  );
});

describe('CommitHistory keeps paths only', () => {
  // Regression test: it kept each commit's patches, values included, for `capacity` commits.
  test.prop([fc.array(path, { minLength: 1, maxLength: 3 }), fc.constantFrom(4, 64)])(
    'a patch is read for its path alone, and later changes to the patch list do not reach the history',
    (paths, capacity) => {
      const history = new CommitHistory(capacity);
      const patches = paths.map((p) => ({
        path: p,
        get value(): never {
          throw new Error('the history read a value');
        },
      }));
      history.record(1, patches);
      patches.length = 0;
      for (const p of paths) {
        const found = history.firstOverlap(0, 1, [p]);
        expect(found !== undefined && pathsOverlap(found, p)).toBe(true);
      }
      for (let v = 2; v <= 40; v++) history.record(v, [{ path: ['other', v] }]);
      // Checked through the index (more than 16 commits since the start), or forgotten.
      const found = history.firstOverlap(0, 40, paths);
      if (capacity < 40) expect(found).toEqual([]);
      else expect(found !== undefined && paths.some((p) => pathsOverlap(found, p))).toBe(true);
    },
  );
});
