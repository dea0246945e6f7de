import { fc } from '@fast-check/vitest';

const JUNK: readonly unknown[] = [null, 0, 7, -1, 1.5, true, false, '', ' ', 'x', [], {}, ['x'], { x: 1 }];

/** Values of every JSON type, for any place a value of the wrong type may go. */
export const junk: fc.Arbitrary<unknown> = fc.constantFrom(...JUNK);

/** Mostly `proper` (ten times in eleven), else junk. */
export function mostly(proper: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 10, arbitrary: proper }, { weight: 1, arbitrary: junk });
}

/** A `[key, value]` pair half the time, whose key is one of several spellings (a key and its aliases). */
export function spelled(keys: readonly string[], value: fc.Arbitrary<unknown>): fc.Arbitrary<readonly [string, unknown] | undefined> {
  return fc.oneof(fc.constant(undefined), fc.tuple(fc.constantFrom(...keys), value));
}

/**
 * A mapping built from `entries` (the `required` keys always there, the others half the time) and
 * optional spelled pairs, then, one time in ten, one key of `vocabulary` toggled: removed when present
 * (a required key goes missing), else added with a junk value (an unknown, misplaced or aliased key).
 */
export function shape(
  entries: Readonly<Record<string, fc.Arbitrary<unknown>>>,
  options: {
    readonly required?: readonly string[];
    readonly spellings?: readonly fc.Arbitrary<readonly [string, unknown] | undefined>[];
    readonly vocabulary: readonly string[];
  },
): fc.Arbitrary<Record<string, unknown>> {
  const toggle = fc.oneof(
    { weight: 9, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...options.vocabulary), junk) },
  );
  return fc
    .tuple(fc.record(entries, { requiredKeys: [...(options.required ?? [])] }), fc.tuple(...(options.spellings ?? [])), toggle)
    .map(([record, pairs, flip]) => {
      const out: Record<string, unknown> = { ...record };
      for (const pair of pairs) if (pair !== undefined) out[pair[0]] = pair[1];
      if (flip !== undefined) {
        const [key, value] = flip;
        if (Object.hasOwn(out, key)) delete out[key];
        else out[key] = value;
      }
      return out;
    });
}

/** Mostly one of `good` (ten times in eleven), else one of `bad`. */
export function pick(good: readonly unknown[], bad: readonly unknown[]): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 10, arbitrary: fc.constantFrom(...good) }, { weight: 1, arbitrary: fc.constantFrom(...bad) });
}
