import { fc } from '@fast-check/vitest';
import { junk, mostly, pick, shape, spelled } from './arbitrary-shapes.js';

/** Every key a state machine uses anywhere, and one it never does. */
const VOCABULARY = 'initial states name description version entry process events on true transitions workflow colour'.split(' ');

/** Targets include a state that does not exist (a relation, left to the loader). */
const target = pick(['IDLE', 'RUN', 'DONE', 'IDLE', 'RUN', 'DONE', 'NOPE'], [3, null]);
const transitions = mostly(fc.dictionary(fc.constantFrom('GO', 'STOP', 'EVT_CHAIN_DONE', 'EVT_CHAIN_FAIL'), target, { maxKeys: 3 }));
const action = pick(
  ['transfer', { process: 'notify' }, { workflow: 'flows/x.yaml' }],
  ['', ' ', { process: '' }, { process: 'a', workflow: 'b' }, { script: 'x' }, { process: 3 }, 4, ['x']],
);
const entry = fc.oneof(action, fc.array(action, { maxLength: 3 }), fc.constant(null));
const state = mostly(
  shape(
    { description: junk },
    {
      spellings: [spelled(['entry', 'process'], entry), spelled(['events', 'on', 'true', 'transitions'], transitions)],
      vocabulary: VOCABULARY,
    },
  ),
);

/** State machines: mostly well-formed, in every spelling, with wrong types, missing and stray keys mixed in. */
export const machineDocument: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 8,
    arbitrary: shape(
      {
        initial: pick(['IDLE', 'RUN', 'DONE', 'NOPE'], [3, null]),
        states: mostly(fc.record({ IDLE: state, RUN: state, DONE: state }, { requiredKeys: ['IDLE', 'RUN'] })),
        name: junk,
        version: junk,
      },
      { required: ['states'], vocabulary: VOCABULARY },
    ),
  },
  { weight: 1, arbitrary: junk },
);
