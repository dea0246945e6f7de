/**
 * One node of the nodes bench (`run-nodes.ts`): a child process (forked, with an IPC channel)
 * that opens engines on `postgresStore()` when told to and answers the calls of `nodes.ts`:
 * commit from several concurrent writers for a fixed time, commit pings one at a time, record
 * when other nodes' commits become visible here (a `commit` listener), report its state.
 */
import { performance } from 'node:perf_hooks';
import { createTheus, Engine } from 'theus';
import { postgresStore } from 'theus/store/postgres';
import type { BenchCalls, BenchRequest, BenchResponse, BenchState, LoadReport, Ping } from './nodes.js';

const t = createTheus<BenchState>();
let attempts = 0;

/** The disjoint load: each writer of each node writes a slot of its own. */
const slot = t.process({ name: 'slot', outputs: ['domain.slots'] }, (ctx, { key, value }: { key: string; value: number }) => {
  attempts++;
  ctx.domain.slots[key] = value;
});
/** The hot load: every writer of every node increments one field. */
const bump = t.process({ name: 'bump', inputs: ['domain.hot'], outputs: ['domain.hot'] }, (ctx) => {
  attempts++;
  ctx.domain.hot += 1;
});
/** The catch-up pings: one node writes, the others record when they see it. */
const ping = t.process({ name: 'ping', outputs: ['domain.ping'] }, (ctx, { n }: { n: number }) => {
  ctx.domain.ping = n;
});

const CONTEXT: BenchState = { domain: { slots: {}, hot: 0, ping: 0 } };

/** Milliseconds on a clock shared by the processes of one machine (the wall clock, sub-millisecond). */
const now = (): number => performance.timeOrigin + performance.now();

let engine: Engine<BenchState> | undefined;
let node = 0;
let conflicts = 0;
/** Versions of the pings this node saw committed by another, and when (while following). */
let seen: [number, number][] = [];
/** Stops following (a `commit` listener costs every commit an event: only followers have one, only while they follow). */
let unfollow: (() => void) | undefined;

function open(): Engine<BenchState> {
  if (engine === undefined) throw new Error('no engine is open');
  return engine;
}

const handlers: { [K in keyof BenchCalls]: (args: BenchCalls[K]['args']) => Promise<BenchCalls[K]['result']> } = {
  async open(args) {
    node = args.node;
    conflicts = 0;
    attempts = 0;
    engine = await Engine.open<BenchState>({
      context: CONTEXT,
      processes: [slot, bump, ping],
      store: postgresStore({ url: args.url, schema: args.schema }),
    });
    engine.on('conflict', () => conflicts++);
    return { version: engine.version };
  },

  async load(args): Promise<LoadReport> {
    const current = open();
    let acknowledged = 0;
    let failures = 0;
    let stop = false;
    const attemptsBefore = attempts;
    const writer = async (w: number): Promise<void> => {
      const key = `n${node}w${w}`;
      // The slot holds the number of the writer's acknowledged writes.
      let i = (current.state.domain.slots[key] ?? 0) + 1;
      while (!stop) {
        try {
          if (args.hot) await current.execute(bump);
          else await current.execute(slot, { key, value: i });
        } catch {
          failures++;
          continue;
        }
        acknowledged++;
        i++;
      }
    };
    const writers = Promise.all(Array.from({ length: args.writers }, (_, w) => writer(w)));
    await new Promise((resolve) => setTimeout(resolve, args.warmupMs));
    const before = { acknowledged, conflicts };
    const started = now();
    await new Promise((resolve) => setTimeout(resolve, args.ms));
    stop = true;
    await writers;
    // The window: from its opening until the last run in flight at its end settled.
    return {
      acknowledged,
      timed: acknowledged - before.acknowledged,
      elapsedMs: now() - started,
      failures,
      conflicts: conflicts - before.conflicts,
      attempts: attempts - attemptsBefore,
    };
  },

  async ping(args): Promise<readonly Ping[]> {
    const current = open();
    const pings: Ping[] = [];
    for (let n = 1; n <= args.count; n++) {
      const started = now();
      await current.execute(ping, { n });
      const acknowledgedAt = now();
      // Only this node commits while pinging: its version is the ping's.
      pings.push({ version: current.version, startedAt: started, acknowledgedAt });
      await new Promise((resolve) => setTimeout(resolve, Math.random() * args.maxPauseMs));
    }
    return pings;
  },

  async follow() {
    seen = [];
    unfollow = open().on('commit', (event) => {
      if (event.process === 'ping') seen.push([event.version, now()]);
    });
    return null;
  },

  async followed() {
    unfollow?.();
    unfollow = undefined;
    return seen;
  },

  async state(args) {
    const current = open();
    const deadline = Date.now() + 30_000;
    while (current.version < args.version && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    const { slots, hot } = current.state.domain;
    return { version: current.version, hot, slots: Object.values(slots).reduce((sum, value) => sum + value, 0) };
  },

  async close() {
    await engine?.close();
    engine = undefined;
    return null;
  },
};

process.on('message', (request: BenchRequest) => {
  const handler = handlers[request.type] as (args: BenchRequest) => Promise<unknown>;
  handler(request).then(
    (result) => process.send?.({ id: request.id, result } satisfies BenchResponse),
    (error: unknown) =>
      process.send?.({
        id: request.id,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      } satisfies BenchResponse),
  );
});
process.send?.({ id: 0, result: null } satisfies BenchResponse);
