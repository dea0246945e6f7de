import { zoneOfSegment } from '../context/zones.js';
import type { ConditionScope } from '../flux/condition/index.js';

/** Names every workflow condition may use, whether or not the state holds them yet. */
export const CONDITION_NAMES: readonly string[] = ['domain', 'global', 'local', 'signal', 'cmd'];

const EMPTY = Object.freeze({});

/**
 * The names a workflow condition sees: every committed layer by name (`domain`, `global` and
 * `local` default to `{}`), and `signal` / `cmd`, both the signals latched by the latest commit
 * (topic → payload; empty once a later commit cleared them). A PRIVATE layer (`internal_...`) is
 * left out; PRIVATE keys deeper down are hidden by the condition evaluator itself.
 */
export function conditionScope(state: Readonly<Record<string, unknown>>, signals: Readonly<Record<string, unknown>>): ConditionScope {
  // An ordinary literal (conditions read own properties only): a null-prototype object built key by
  // key costs V8 a dictionary per evaluation, this one a shared hidden class.
  const scope: Record<string, unknown> = { domain: EMPTY, global: EMPTY, local: EMPTY };
  for (const key of Object.keys(state)) if (zoneOfSegment(key) !== 'PRIVATE') scope[key] = state[key];
  scope['signal'] = signals;
  scope['cmd'] = signals;
  return Object.freeze(scope);
}
