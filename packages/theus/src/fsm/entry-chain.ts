import type { EntryAction } from './machine-definition.js';
import type { MachineRuntime } from './machine-runtime.js';

/**
 * Runs a state's entry actions in order and stops at the first failure, which it returns
 * (undefined = every action succeeded). A workflow result with `status: 'failed'` is a failure.
 */
export async function runEntryChain(actions: readonly EntryAction[], runtime: MachineRuntime): Promise<{ error: unknown } | undefined> {
  for (const action of actions) {
    try {
      if (action.kind === 'process') {
        await runtime.execute(action.process, undefined);
        continue;
      }
      const result: unknown = await runtime.runWorkflow?.(action.file);
      if (typeof result === 'object' && result !== null && (result as { status?: unknown }).status === 'failed') {
        const error = (result as { error?: unknown }).error;
        return { error: error ?? new Error(`workflow ${action.file} failed`) };
      }
    } catch (error) {
      return { error };
    }
  }
  return undefined;
}
