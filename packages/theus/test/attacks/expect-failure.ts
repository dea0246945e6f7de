import { expect } from 'vitest';
import { TheusError } from 'theus';

/** Awaits a run that must fail and returns its error, asserting it is a typed Theus error. */
export async function failure(run: Promise<unknown>): Promise<TheusError> {
  try {
    await run;
  } catch (error) {
    expect(error).toBeInstanceOf(TheusError);
    return error as TheusError;
  }
  throw new Error('expected the run to fail');
}

/** The code of a run that must fail. */
export async function codeOf(run: Promise<unknown>): Promise<string> {
  return (await failure(run)).code;
}

/** The error a synchronous call throws (fails the test when it does not throw). */
export function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}
