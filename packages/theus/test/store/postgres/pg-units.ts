/**
 * Commit units built by hand, as the engine hands them to `store.shared.commit()`, and the stores
 * a test opens (closed and their schemas dropped after it).
 */
import { afterEach } from 'vitest';
import type { PathSegments } from '../../../src/context/paths.js';
import { postgresStore } from '../../../src/store/postgres/index.js';
import type { PostgresStoreOptions } from '../../../src/store/postgres/index.js';
import type { CommitCheck, CommitUnit, OutboxEnvelope, SharedLog, Store } from '../../../src/store/store.js';
import type { Patch } from '../../../src/transaction/patches.js';
import { dropSchema, PG_URL, uniqueSchema } from './pg-test-db.js';

/** What a test unit holds besides its patches and check. */
export interface UnitExtras {
  readonly process?: string;
  readonly args?: unknown;
  readonly topics?: readonly { readonly topic: string; readonly payload: unknown }[];
  readonly signals?: Readonly<Record<string, unknown>>;
  readonly time?: number;
}

/** A `replace` of `path` by `value`. */
export function replace(path: PathSegments, value: unknown): Patch {
  return Object.freeze({ op: 'replace', path: Object.freeze([...path]), value });
}

/** A check: by default from `seen`, the written paths as touched, nothing else. */
export function check(seen: number, touched: readonly PathSegments[] = [], more: Partial<CommitCheck> = {}): CommitCheck {
  return Object.freeze({ seen, touched, presence: [], strict: false, ...more });
}

/** A unit with a tentative version (0) and outbox ids, as the engine hands them over. */
export function unit(patches: readonly Patch[], commitCheck: CommitCheck | undefined, extras: UnitExtras = {}): CommitUnit {
  const record = Object.freeze({
    version: 0,
    process: extras.process ?? 'p',
    args: extras.args,
    patches: Object.freeze([...patches]),
    time: extras.time ?? 1_700_000_000_000,
  });
  const outbox: OutboxEnvelope[] = (extras.topics ?? []).map((message, i) =>
    Object.freeze({ id: `v0.${i}`, topic: message.topic, payload: message.payload, version: 0, attempts: 0 }),
  );
  return Object.freeze({
    record,
    signals: extras.signals ?? {},
    outbox,
    state: {},
    ...(commitCheck === undefined ? {} : { check: commitCheck }),
  });
}

/** A unit that replaces `path` by `value`, seen at `seen`, touching `path`. */
export function write(path: PathSegments, value: unknown, seen: number, extras: UnitExtras = {}): CommitUnit {
  return unit([replace(path, value)], check(seen, [path]), extras);
}

/** A store with its shared log (asserted present). */
export interface TestStore {
  readonly store: Store;
  readonly shared: SharedLog;
}

/**
 * Per test: a fresh schema name (`fixture.schema`; `fixture.next()` moves to another one), stores
 * on it (`fixture.store()`), all closed and every schema dropped after the test.
 */
export function pgFixture(): { readonly schema: string; next(): void; store(options?: Partial<PostgresStoreOptions>): TestStore } {
  const schemas: string[] = [];
  const stores: Store[] = [];
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.shared?.close();
    for (const schema of schemas.splice(0)) await dropSchema(schema);
  });
  const current = (): string => {
    if (schemas.length === 0) schemas.push(uniqueSchema());
    return schemas.at(-1) as string;
  };
  return {
    get schema() {
      return current();
    },
    next() {
      schemas.push(uniqueSchema());
    },
    store(options = {}) {
      const store = postgresStore({ url: PG_URL, schema: current(), ...options });
      stores.push(store);
      if (store.shared === undefined) throw new Error('a PostgreSQL store has a shared log');
      return { store, shared: store.shared };
    },
  };
}
