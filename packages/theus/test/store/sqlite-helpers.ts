import { mkdtempSync, rmSync } from 'node:fs';
import { afterEach, beforeEach } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toPlain } from '../../src/context/to-plain.js';
import { replayCommits } from '../../src/store/replay.js';
import type { CommitRecord, CommitUnit, OutboxEnvelope, Store } from '../../src/store/store.js';
import type { Patch } from '../../src/transaction/patches.js';

/** A temporary directory for database files, removed by `cleanup()`. */
export function tempDir(): { readonly dir: string; file(name?: string): string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'theus-sqlite-'));
  return {
    dir,
    file: (name = 'state.db') => join(dir, name),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Per test: a fresh temporary directory, and the stores to close after the test (`track`). */
export function storeFixture(): { readonly tmp: ReturnType<typeof tempDir>; track(store: Store): Store } {
  let current: ReturnType<typeof tempDir> | undefined;
  const open: Store[] = [];
  beforeEach(() => {
    current = tempDir();
  });
  afterEach(() => {
    for (const store of open.splice(0)) store.close();
    current?.cleanup();
  });
  return {
    get tmp() {
      if (current === undefined) throw new Error('storeFixture().tmp is available inside tests only');
      return current;
    },
    track(store) {
      open.push(store);
      return store;
    },
  };
}

export interface Step {
  readonly patches: readonly Patch[];
  readonly process?: string;
  readonly args?: unknown;
  readonly topics?: readonly { readonly topic: string; readonly payload: unknown }[];
  readonly signals?: Readonly<Record<string, unknown>>;
}

/** Builds commit units the way the engine does: each state is the previous one with the patches applied. */
export class Log {
  state: object;
  version: number;
  readonly records: CommitRecord[] = [];
  /** The state after each version (index = version - seed version). */
  readonly states: object[];
  readonly seedVersion: number;

  constructor(seed: object, version = 0) {
    this.state = replayCommits(seed, []);
    this.version = version;
    this.seedVersion = version;
    this.states = [this.state];
  }

  /** The next unit (not yet appended anywhere). */
  next(step: Step): CommitUnit {
    const version = this.version + 1;
    const record: CommitRecord = Object.freeze({
      version,
      process: step.process ?? 'p',
      args: step.args,
      patches: step.patches,
      time: 1_700_000_000_000 + version,
    });
    const state = replayCommits(this.state, [record]);
    const outbox: OutboxEnvelope[] = (step.topics ?? []).map((message, i) =>
      Object.freeze({ id: `v${version}.${i}`, topic: message.topic, payload: message.payload, version, attempts: 0 }),
    );
    this.state = state;
    this.version = version;
    this.records.push(record);
    this.states.push(state);
    return { record, signals: step.signals ?? {}, outbox, state };
  }

  /** Builds units and appends them to `store` in one call. */
  append(store: Store, ...steps: Step[]): readonly CommitUnit[] {
    const units = steps.map((step) => this.next(step));
    void store.append(units);
    return units;
  }

  /** Forgets the last `count` units (their append failed). */
  drop(count: number): void {
    this.records.splice(this.records.length - count, count);
    this.states.splice(this.states.length - count, count);
    this.version -= count;
    this.state = this.states.at(-1) as object;
  }
}

/** A replace of `domain.<key>`. */
export function set(key: string, value: unknown): Step {
  return { patches: [{ op: 'replace', path: ['domain', key], value }] };
}

/** JSON of the plain form: equal texts mean equal values with equal key order at every level. */
export function text(value: unknown): string {
  return JSON.stringify(toPlain(value));
}

/** What a function throws (fails the test when it does not throw). */
export function thrown(run: () => unknown): Error & { code?: string; details?: Record<string, unknown> } {
  try {
    run();
  } catch (error) {
    return error as Error & { code?: string; details?: Record<string, unknown> };
  }
  throw new Error('expected a throw');
}
