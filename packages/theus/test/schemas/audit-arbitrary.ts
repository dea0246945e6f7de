import { fc } from '@fast-check/vitest';
import { junk, mostly, pick, shape, spelled } from './arbitrary-shapes.js';

/** Every key a recipe uses anywhere, and one it never does. */
const VOCABULARY = [
  ...'audit defaults process_recipes rules inputs outputs inherits side_effects errors process input_rules output_rules'.split(' '),
  ...'level default_level min_threshold threshold_min reset_on_success'.split(' '),
  ...'max_threshold threshold_max max_retries default_threshold_max'.split(' '),
  ...'field key message min max eq neq min_len max_len regex in colour'.split(' '),
];

const level = pick(['B', 'S', 'i', 'block', ' Alert ', 'CAUTION', 'Shutdown', 'BLOC\u212a'], ['Z', 'blocks', '', 1]);
/** Settings under their spellings; `top` adds the legacy top-level ones. Values include min above max (a relation, left to the loader). */
const settings = (top: boolean): fc.Arbitrary<readonly [string, unknown] | undefined>[] => [
  spelled(top ? ['level', 'default_level'] : ['level'], level),
  spelled(['min_threshold', 'threshold_min'], pick([0, 1, 2], [-1, 1.5, '1'])),
  spelled(
    top ? ['max_threshold', 'threshold_max', 'max_retries', 'default_threshold_max'] : ['max_threshold', 'threshold_max'],
    pick([1, 2, 3], [0, 2.5, 'x']),
  ),
  spelled(['reset_on_success'], pick([true, false], ['yes', null])),
];

const field = pick(
  ['amount', 'domain.total', 'domain.x y', 'internal_token', 'a.b.c'],
  ['domain.internal_pin', 'a..b', 'domain.__proto__', 'prototype.x', ' constructor .a', ' domain . x ', '', 5],
);
const compared = pick([1, 'EUR', null, true, [1, 'a'], { a: { b: [1] } }], [{ internal_x: 1 }, [{ ok: { internal_y: 2 } }]]);
/**
 * The checks of a rule, of which each rule draws one or two (a toggled key may remove them). The
 * good values include some that only the loader refuses: patterns RE2 refuses, `max` below `min`.
 */
const CHECKS: Readonly<Record<string, fc.Arbitrary<unknown>>> = {
  min: pick([0, 1], ['abc']),
  max: pick([1, 5, -3], [null]),
  eq: compared,
  neq: compared,
  min_len: pick([0, 2], [-1, 1.5]),
  max_len: pick([1, 3], ['3']),
  regex: pick(['^a$', '[0-9]+', '(', '(a)\\1'], ['', 7]),
  in: pick([[1], ['EUR', 'USD']], [[], [{ internal_z: 1 }], 'EUR']),
};
const rule = fc.subarray(Object.entries(CHECKS), { minLength: 1, maxLength: 2 }).chain((checks) =>
  shape(Object.fromEntries([['message', pick(['too big'], ['', 3])], ...checks]), {
    required: checks.map(([name]) => name),
    spellings: [fc.tuple(fc.constantFrom('field', 'key'), field), ...settings(false)],
    vocabulary: VOCABULARY,
  }),
);
const rules = mostly(fc.array(rule, { maxLength: 2 }));
const names = pick([['db'], [], null], [[''], 'x']);
const inherits = pick(['_base', '_base', '_missing', 'transfer'], ['', 4]);

const processRecipe = mostly(
  shape(
    { inputs: rules, outputs: rules, inherits, side_effects: names, errors: names },
    { spellings: settings(false), vocabulary: VOCABULARY },
  ),
);
const ruleGroup = shape(
  { process: mostly(fc.constantFrom('transfer', 'pay')), input_rules: rules, output_rules: rules, inherits, side_effects: names },
  { required: ['process'], spellings: settings(false), vocabulary: VOCABULARY },
);
const section = mostly(shape({}, { spellings: settings(true), vocabulary: VOCABULARY }));

const recipes = {
  process_recipes: mostly(
    fc.dictionary(fc.oneof({ weight: 10, arbitrary: fc.constantFrom('transfer', 'refund', '_base') }, fc.constant(' ')), processRecipe, {
      maxKeys: 2,
    }),
  ),
  rules: mostly(fc.array(ruleGroup, { maxLength: 2 })),
};

/**
 * Audit recipes: mostly well-formed, in both formats and every spelling (defaults in a section or
 * at the root), with wrong types, missing and stray keys mixed in.
 */
export const auditDocument: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: shape(recipes, { spellings: [spelled(['audit', 'defaults'], section)], vocabulary: VOCABULARY }) },
  { weight: 2, arbitrary: shape(recipes, { spellings: settings(true), vocabulary: VOCABULARY }) },
  { weight: 1, arbitrary: junk },
);
