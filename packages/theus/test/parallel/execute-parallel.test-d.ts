/**
 * Types of `engine.executeParallel`: one argument object per run, checked against the process's
 * own arguments; the results typed as the process's result, in a list.
 */
import { describe, expectTypeOf, it } from 'vitest';
import { Engine, type WorkersOption } from 'theus';
import { spin, whereAmI } from './fixtures/processes.js';

declare const engine: Engine;

describe('engine.executeParallel', () => {
  it('takes a list of the process arguments and resolves to a list of its results', () => {
    expectTypeOf(engine.executeParallel(spin, [{ n: 1 }, { n: 2 }])).resolves.toEqualTypeOf<{ x: number; threadId: number }[]>();
    expectTypeOf(engine.executeParallel(whereAmI, [undefined, undefined])).resolves.toEqualTypeOf<number[]>();
    expectTypeOf(engine.executeParallel('spin', [{ anything: true }])).resolves.toEqualTypeOf<unknown[]>();
    // @ts-expect-error the arguments of each run are checked
    void engine.executeParallel(spin, [{ n: 'one' }]);
  });

  it('types the workers option', () => {
    expectTypeOf<WorkersOption>().toEqualTypeOf<{
      readonly size?: number;
      readonly idleTimeoutMs?: number;
      readonly execArgv?: readonly string[];
    }>();
  });
});
