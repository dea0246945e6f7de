/** A message enqueued by a run, delivered only if the run commits. */
export interface OutboxMessage {
  readonly topic: string;
  readonly payload: unknown;
}

/** What a run produces besides state writes; dropped with the run if it fails. */
export interface RunEffects {
  readonly logs: string[];
  readonly outbox: OutboxMessage[];
}

/** Fresh, empty effects for one attempt. */
export function createRunEffects(): RunEffects {
  return { logs: [], outbox: [] };
}
