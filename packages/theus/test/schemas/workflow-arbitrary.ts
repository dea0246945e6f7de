import { fc } from '@fast-check/vitest';
import { junk, mostly, pick, shape } from './arbitrary-shapes.js';

/** Every key a workflow uses anywhere, and one it never does. */
const VOCABULARY = 'steps name version description process args flux condition then else do branches on_success on_fail retry'.split(' ');

const processName = pick(['validate', 'charge', 'ship_it'], [' ', '']);
const args = pick([null, {}, { currency: 'EUR' }], [[1], 'x']);
/** Conditions, some of which the loader alone refuses (bad syntax, a PRIVATE name), blank ones, and other types. */
const condition = pick(
  ['True', 'domain.n < 3', "signal.get('stop') and not cmd", true, false, 'domain.n <', 'internal_x > 1'],
  ['', '  ', 3, null, ['x']],
);
const fluxType = (type: string): fc.Arbitrary<unknown> => pick([type], ['foreach', 1, null]);

/** Workflow documents: mostly well-formed, with wrong types, missing and stray keys mixed in. */
export const workflowDocument: fc.Arbitrary<unknown> = fc.letrec((tie) => {
  const list = mostly(fc.array(tie('step'), { maxLength: 3 }));
  const flux = (entries: Record<string, fc.Arbitrary<unknown>>, required: string[]) =>
    shape({ ...entries, name: junk, description: junk }, { required: ['flux', ...required], vocabulary: VOCABULARY });
  return {
    step: fc.oneof(
      { maxDepth: 3, depthSize: 'small' },
      { weight: 3, arbitrary: processName },
      {
        weight: 2,
        arbitrary: shape(
          { process: mostly(processName), args, name: junk, on_success: junk },
          { required: ['process'], vocabulary: VOCABULARY },
        ),
      },
      { weight: 1, arbitrary: flux({ flux: fluxType('if'), condition, then: list, else: list }, ['condition']) },
      { weight: 1, arbitrary: flux({ flux: fluxType('while'), condition, do: list }, ['condition', 'do']) },
      { weight: 1, arbitrary: flux({ flux: fluxType('run'), steps: list }, ['steps']) },
      { weight: 1, arbitrary: flux({ flux: fluxType('parallel'), branches: mostly(fc.array(list, { maxLength: 3 })) }, ['branches']) },
      { weight: 1, arbitrary: junk },
    ),
    document: fc.oneof(
      {
        weight: 6,
        arbitrary: shape(
          { steps: list, name: pick(['flow', 3, null], [['x'], {}]), version: junk, description: junk },
          { vocabulary: VOCABULARY },
        ),
      },
      { weight: 1, arbitrary: list },
      { weight: 1, arbitrary: junk },
    ),
  };
}).document;
