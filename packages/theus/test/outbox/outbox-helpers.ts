import { vi } from 'vitest';
import { OutboxDispatcher } from '../../src/outbox/outbox-dispatcher.js';
import { resolveOutboxOptions, type OutboxOptions } from '../../src/outbox/outbox-options.js';
import { MemoryOutboxLedger } from '../../src/store/memory-outbox-ledger.js';
import type { OutboxEntry, OutboxEnvelope, OutboxFailure, OutboxLedger } from '../../src/store/store.js';

/** The message `index` of the commit `version`. */
export function envelope(version: number, index: number, topic: string, payload: unknown = { n: version * 10 + index }): OutboxEnvelope {
  return Object.freeze({ id: `v${version}.${index}`, topic, payload, version, attempts: 0 });
}

type LedgerMethod = 'delivered' | 'failed' | 'revive';

/**
 * A memory ledger that records its calls, can answer through promises (`async`, as a store on a
 * server does), and fails the methods named in `failing` (throwing, or rejecting when `async`).
 */
export class TestLedger implements OutboxLedger {
  readonly calls: string[] = [];
  readonly failing = new Set<LedgerMethod>();
  async = false;
  /** What `revive` answers instead of the memory ledger's answer, when set. */
  reviveAnswer: boolean | undefined;
  readonly #memory = new MemoryOutboxLedger();

  add(messages: readonly OutboxEnvelope[]): void {
    this.#memory.add(messages);
  }

  undelivered(): readonly OutboxEntry[] {
    return this.#memory.undelivered();
  }

  delivered(id: string): void | Promise<void> {
    return this.#answer('delivered', id, () => {
      this.#memory.delivered(id);
    });
  }

  failed(id: string, failure: OutboxFailure): void | Promise<void> {
    return this.#answer('failed', id, () => {
      this.#memory.failed(id, failure);
    });
  }

  revive(id: string): boolean | Promise<boolean> {
    return this.#answer('revive', id, () => {
      const revived = this.#memory.revive(id);
      return this.reviveAnswer ?? revived;
    });
  }

  /** The stored entry of `id`. */
  entry(id: string): OutboxEntry | undefined {
    return this.#memory.undelivered().find((e) => e.id === id);
  }

  #answer<T>(method: LedgerMethod, id: string, run: () => T): T | Promise<T> {
    this.calls.push(`${method} ${id}`);
    if (this.failing.has(method)) {
      const error = new Error(`ledger ${method} failed`);
      if (this.async) return Promise.reject(error);
      throw error;
    }
    const value = run();
    return this.async ? Promise.resolve(value) : value;
  }
}

/** A dispatcher on a {@link TestLedger}, with the problems it reported and a `commit` helper. */
export function setup(options: OutboxOptions = {}, ledger: TestLedger = new TestLedger()) {
  const problems: unknown[] = [];
  const dispatcher = new OutboxDispatcher(ledger, resolveOutboxOptions(options), (problem) => problems.push(problem));
  /** Stores a commit's messages and hands them to the dispatcher, as the engine does once the commit is durable. */
  const commit = (...messages: OutboxEnvelope[]): void => {
    ledger.add(messages);
    dispatcher.enqueue(messages);
  };
  return { ledger, dispatcher, problems, commit };
}

/** Lets every pending promise callback run (fake timers do not touch promises). */
export async function flush(): Promise<void> {
  for (let i = 0; i < 50; i++) await Promise.resolve();
}

/** Advances the fake clock by `ms`, running due timers and the promise callbacks they cause. */
export async function advance(ms: number): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms);
  await flush();
}

/** A promise with its resolve and reject functions. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
