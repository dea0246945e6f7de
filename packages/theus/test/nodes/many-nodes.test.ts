/**
 * Several nodes (real child processes, `node-child.ts`) on one PostgreSQL schema share one state:
 * no acknowledged commit is lost under contention, across a SIGKILL or a node stopped with
 * SIGSTOP; invariants of the processes hold across nodes; disjoint writes never conflict; and
 * every node ends with the state and version of a fresh engine opened afterwards, over a log of
 * gapless versions. Each test has a fresh schema, dropped after it; every child is killed after
 * it. In-process pairs of engines are in test/shared/two-engines.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Engine } from 'theus';
import { postgresStore } from 'theus/store/postgres';
import { dropSchema, NEEDS_PG, PG_URL, pgAvailable, sql, uniqueSchema } from '../store/postgres/pg-test-db.js';
import { ACCOUNTS, CONTEXT, OPENING_BALANCE, PROCESSES, type NodeState, type OpKind } from './node-model.js';
import { NodeProcess, type Exit } from './node-handle.js';
import type { Operation } from './node-protocol.js';

const available = await pgAvailable();

/** Generous: children compile with tsx, and the machine may have two cores for them and the server. */
const TEST_TIMEOUT = 180_000;

let schema: string;
const nodes: NodeProcess[] = [];

beforeEach(() => {
  schema = uniqueSchema();
});

afterEach(async () => {
  const started = nodes.splice(0);
  for (const node of started) node.kill('SIGKILL');
  await Promise.all(started.map((node) => node.exited));
  await dropSchema(schema);
});

/** Starts nodes named `names`, one after the other (the first seeds the schema), and keeps them for afterEach. */
async function start(...names: string[]): Promise<NodeProcess[]> {
  const started: NodeProcess[] = [];
  for (const name of names) {
    // The engine's default conflict policy: a run that keeps losing to other nodes claims the turn across nodes.
    const node = await NodeProcess.start({ name, url: PG_URL, schema });
    nodes.push(node);
    started.push(node);
  }
  return started;
}

/** A fresh engine on the test schema, in this process, remembering every commit it replays. */
function openFresh(): Promise<Engine<NodeState>> {
  return Engine.open<NodeState>({
    context: CONTEXT,
    processes: PROCESSES,
    store: postgresStore({ url: PG_URL, schema, historyCapacity: 1_000_000 }),
  });
}

/** The log in the database: its head, its commit count and versions, and its commits per process. */
async function logOf(): Promise<{ head: number; count: number; min: number; max: number; byProcess: Record<string, number> }> {
  const [row] = await sql<{ head: string; count: string; min: string | null; max: string | null }>(
    `SELECT (SELECT version FROM "${schema}".head) AS head, count(*) AS count, min(version) AS min, max(version) AS max FROM "${schema}".commits`,
  );
  const perProcess = await sql<{ process: string; count: string }>(
    `SELECT process, count(*) AS count FROM "${schema}".commits GROUP BY process`,
  );
  return {
    head: Number(row?.head),
    count: Number(row?.count),
    min: Number(row?.min ?? 0),
    max: Number(row?.max ?? 0),
    byProcess: Object.fromEntries(perProcess.map((r) => [r.process, Number(r.count)])),
  };
}

/** Rejects with `what` when `promise` has not settled after `ms`. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms)));
  try {
    return await Promise.race([promise, limit]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The end of every test: a fresh engine opened now replays a gapless log; every node reaches its
 * version and then holds exactly its state (deep-equal) at exactly its version; every node closes
 * and its process exits by itself. Returns the fresh engine's state and history (it is closed).
 */
async function converge(live: readonly NodeProcess[]): Promise<{ state: NodeState; version: number; commits: Record<string, number> }> {
  const fresh = await openFresh();
  try {
    const version = fresh.version;
    const log = await logOf();
    expect(log).toMatchObject({ head: version, count: version, max: version, min: version === 0 ? 0 : 1 });
    // The fresh engine replayed every commit from the seed: its history is the whole log, in order.
    expect(fresh.history().map((entry) => entry.version)).toEqual(Array.from({ length: version }, (_, i) => i + 1));
    for (const node of live) {
      expect(await node.reach(version)).toBe(version);
      const status = await node.status();
      expect({ node: node.name, version: status.version }).toEqual({ node: node.name, version });
      expect(status.state).toEqual(fresh.state);
    }
    const exits = await within(Promise.all(live.map((node) => node.close())), 30_000, 'closing the nodes');
    expect(exits).toEqual(live.map((): Exit => ({ code: 0, signal: null })));
    return { state: fresh.state as NodeState, version, commits: log.byProcess };
  } finally {
    await fresh.close();
  }
}

/** The operations of kind `op` every node in `from` acknowledged. */
function acked<K extends Operation['op']>(from: readonly NodeProcess[], op: K): Extract<Operation, { op: K }>[] {
  return from.flatMap((node) => node.acks.filter((operation): operation is Extract<Operation, { op: K }> => operation.op === op));
}

/** The balances the acknowledged transfers make from the opening ones (transfers commute). */
function balancesAfter(transfers: readonly Extract<Operation, { op: 'transfer' }>[]): Record<string, number> {
  const balances: Record<string, number> = Object.fromEntries(ACCOUNTS.map((account) => [account, OPENING_BALANCE]));
  for (const { from, to, amount } of transfers) {
    balances[from] = (balances[from] ?? 0) - amount;
    balances[to] = (balances[to] ?? 0) + amount;
  }
  return balances;
}

describe.skipIf(!available)(`many nodes (child processes) on one PostgreSQL schema ${available ? '' : NEEDS_PG}`.trim(), () => {
  it('concurrent increments of one field from every node lose none', { timeout: TEST_TIMEOUT }, async () => {
    const all = await start('n1', 'n2', 'n3', 'n4');
    const reports = await Promise.all(all.map((node) => node.run('increment', 40, 4)));
    expect(reports.flatMap((report) => report.failures)).toEqual([]);
    const increments = acked(all, 'increment').length;
    expect(increments).toBe(160);
    const end = await converge(all);
    expect(end.state.domain.counter).toBe(increments);
    expect(end.commits).toEqual({ increment: increments });
  });

  it('transfers among a few accounts from every node conserve the total and never overdraw', { timeout: TEST_TIMEOUT }, async () => {
    const all = await start('n1', 'n2', 'n3');
    const reports = await Promise.all(all.map((node) => node.run('transfer', 40, 3)));
    // The only failures are refused overdrafts, each decided on a committed state.
    for (const failure of reports.flatMap((report) => report.failures))
      expect(failure).toMatchObject({ op: 'transfer', name: 'RangeError' });
    const transfers = acked(all, 'transfer');
    expect(transfers.length + reports.reduce((sum, report) => sum + report.failures.length, 0)).toBe(120);
    const end = await converge(all);
    const balances = end.state.domain.accounts;
    expect(Object.values(balances).reduce((sum, balance) => sum + balance, 0)).toBe(ACCOUNTS.length * OPENING_BALANCE);
    for (const balance of Object.values(balances)) expect(balance).toBeGreaterThanOrEqual(0);
    // No transfer lost or applied twice: the balances are the opening ones moved by each acknowledged transfer once.
    expect(balances).toEqual(balancesAfter(transfers));
    expect(end.commits).toEqual(transfers.length === 0 ? {} : { transfer: transfers.length });
  });

  it('unique appends to one list appear exactly once each', { timeout: TEST_TIMEOUT }, async () => {
    const all = await start('n1', 'n2', 'n3');
    const reports = await Promise.all(all.map((node) => node.run('append', 30, 3)));
    expect(reports.flatMap((report) => report.failures)).toEqual([]);
    const items = acked(all, 'append').map((operation) => operation.item);
    expect(items).toHaveLength(90);
    const end = await converge(all);
    const log = end.state.domain.log;
    expect(new Set(log).size).toBe(log.length);
    expect([...log].sort()).toEqual([...items].sort());
    expect(end.commits).toEqual({ append: 90 });
  });

  it('disjoint writes (each node its own key) do not conflict and are all kept', { timeout: TEST_TIMEOUT }, async () => {
    const all = await start('n1', 'n2', 'n3', 'n4');
    // One write first, so that the node's key exists before its writers write under it at once.
    for (const report of await Promise.all(all.map((node) => node.run('own', 1, 1)))) expect(report.failures).toEqual([]);
    const reports = await Promise.all(all.map((node) => node.run('own', 30, 3)));
    expect(reports.flatMap((report) => report.failures)).toEqual([]);
    for (const node of all) {
      const status = await node.status();
      expect({ node: node.name, conflicts: status.conflicts }).toEqual({ node: node.name, conflicts: 0 });
      // Not one attempt re-run: neither a local conflict nor a refusal by the database (which may emit no event).
      expect({ node: node.name, attempts: status.attempts.own }).toEqual({ node: node.name, attempts: node.acks.length });
    }
    const end = await converge(all);
    for (const node of all) {
      const expected = Object.fromEntries(acked([node], 'own').map((operation) => [operation.key, operation.value]));
      expect(Object.keys(expected)).toHaveLength(31);
      expect(end.state.domain.nodes[node.name]).toEqual(expected);
    }
    expect(Object.keys(end.state.domain.nodes).sort()).toEqual(all.map((node) => node.name).sort());
    expect(end.commits).toEqual({ own: 124 });
  });

  it('every node ends with the state of a fresh engine after mixed concurrent work', { timeout: TEST_TIMEOUT }, async () => {
    const all = await start('n1', 'n2', 'n3');
    const kinds: OpKind[] = ['increment', 'transfer', 'append', 'own'];
    const reports = await Promise.all(all.map((node) => node.run(kinds, 60, 4)));
    for (const failure of reports.flatMap((report) => report.failures))
      expect(failure).toMatchObject({ op: 'transfer', name: 'RangeError' });
    const end = await converge(all);
    expect(end.state.domain.counter).toBe(acked(all, 'increment').length);
    expect(end.state.domain.accounts).toEqual(balancesAfter(acked(all, 'transfer')));
    expect([...end.state.domain.log].sort()).toEqual(
      acked(all, 'append')
        .map((operation) => operation.item)
        .sort(),
    );
    for (const node of all) {
      expect(end.state.domain.nodes[node.name]).toEqual(
        Object.fromEntries(acked([node], 'own').map((operation) => [operation.key, operation.value])),
      );
    }
    expect(end.version).toBe(all.reduce((sum, node) => sum + node.acks.length, 0));
  });

  it('a node killed with SIGKILL during a load loses no acknowledged commit', { timeout: TEST_TIMEOUT }, async () => {
    const [victim, ...survivors] = await start('victim', 's1', 's2');
    if (victim === undefined) throw new Error('no victim');
    // The victim increments until it is killed, the others a fixed number of times meanwhile.
    const killed = victim.run('increment', 1_000_000, 4).then(
      () => new Error('the victim finished its load'),
      (error: unknown) => error,
    );
    const others = Promise.all(survivors.map((node) => node.run('increment', 40, 3)));
    await within(victim.acknowledged(25), 60_000, 'the victim acknowledging 25 increments');
    victim.kill('SIGKILL');
    expect(await victim.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(String(await killed)).toMatch(/exited/);
    expect((await others).flatMap((report) => report.failures)).toEqual([]);
    const end = await converge(survivors);
    const acknowledged = acked([victim, ...survivors], 'increment').length;
    // Every acknowledged increment is there; the victim's commits that reached the log before it
    // died count too, acknowledged or not: the counter is exactly the log's increments.
    expect(end.state.domain.counter).toBeGreaterThanOrEqual(acknowledged);
    expect(end.state.domain.counter).toBe(end.commits['increment']);
    expect(end.version).toBe(end.state.domain.counter);
  });

  it(
    'a node stopped with SIGSTOP catches up once resumed; a node started later starts from the shared state',
    { timeout: TEST_TIMEOUT },
    async () => {
      const [a, b, sleeper] = await start('a', 'b', 'sleeper');
      if (a === undefined || b === undefined || sleeper === undefined) throw new Error('missing nodes');
      await Promise.all([a, b, sleeper].map((node) => node.run('own', 1, 1)));
      // The sleeper is stopped in the middle of a load of its own: runs of it wait, started on a state that moves on without it.
      const sleeping = sleeper.run(['increment', 'append'], 40, 2);
      await within(sleeper.acknowledged(5), 60_000, 'the sleeper acknowledging 5 operations');
      sleeper.kill('SIGSTOP');
      const before = sleeper.acks.length;
      const kinds: OpKind[] = ['increment', 'transfer', 'append', 'own'];
      for (const failure of (await Promise.all([a.run(kinds, 40, 3), b.run(kinds, 40, 3)])).flatMap((report) => report.failures)) {
        expect(failure).toMatchObject({ op: 'transfer', name: 'RangeError' });
      }
      // Nothing was acknowledged by the stopped node while the others committed.
      expect(sleeper.acks.length).toBe(before);
      const { version } = await a.status();
      sleeper.kill('SIGCONT');
      expect(await sleeper.reach(version)).toBeGreaterThanOrEqual(version);
      const slept = await sleeping;
      expect(slept.failures).toEqual([]);
      expect(slept.acknowledged).toBe(40);
      // A node started now opens on the shared state, whatever its own context.
      const [late] = await start('late');
      if (late === undefined) throw new Error('no late node');
      const opened = await late.openedAt;
      const all = [a, b, sleeper, late];
      const end = await converge(all);
      expect(opened).toBe(end.version);
      expect(end.state.domain.counter).toBe(acked(all, 'increment').length);
      expect([...end.state.domain.log].sort()).toEqual(
        acked(all, 'append')
          .map((operation) => operation.item)
          .sort(),
      );
      expect(end.state.domain.accounts).toEqual(balancesAfter(acked(all, 'transfer')));
    },
  );
});
