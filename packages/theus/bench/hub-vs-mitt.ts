/**
 * Row 10: signal hub batched deliveries (publish a batch of {@link BATCH}, wait until every
 * subscriber received all of it) against mitt `emit` of the same messages to the same number of
 * handlers, with 1 and 10 subscribers. The hub is measured both ways a consumer can read: a
 * burst at a time (`for await (const batch of sub.batches())`, the target) and a message at a
 * time (`for await (const message of sub)`). Figures are per delivery (messages x subscribers).
 *
 * Child: `node --import tsx bench/hub-vs-mitt.ts` prints its {@link Rounds}.
 *
 * @packageDocumentation
 */
import mittModule from 'mitt';
import { emit, isMain, runChild } from './child.js';
import { printError, printTable, target } from './harness.js';
import { cell, interleave, printFailures, timeRatio, usOf, windowed, type Rounds, type Sampler } from './rounds.js';
import { BATCH, deliveryRig } from './signal-hub.js';

/**
 * mitt's types are a CommonJS declaration (`export default` there means `.default` under NodeNext),
 * while node loads its ES module, whose default export is the function itself.
 */
const mitt = mittModule as unknown as typeof mittModule.default;

const SUBSCRIBERS = [1, 10] as const;
const ROUNDS = 7;
const WINDOW = { ms: 150, warmupMs: 300 } as const;

/** Keeps delivered values alive so the JIT cannot drop the handlers. */
let sink = 0;

const hubName = (subscribers: number): string => `signal hub batches x${String(subscribers)}`;
const perMessageName = (subscribers: number): string => `signal hub per message x${String(subscribers)}`;
const mittName = (subscribers: number): string => `mitt x${String(subscribers)}`;

function hub(subscribers: number, batched: boolean): Sampler {
  // Left open: the child exits after its result, and an idle for-await loop holds no handle.
  const rig = deliveryRig(subscribers, BATCH, batched);
  const name = batched ? hubName(subscribers) : perMessageName(subscribers);
  return windowed(name, rig.round, { ...WINDOW, per: BATCH * subscribers });
}

function mittEmitter(subscribers: number): Sampler {
  const emitter = mitt<{ bench: number }>();
  for (let i = 0; i < subscribers; i++) emitter.on('bench', (k) => (sink += k));
  const round = (): void => {
    for (let k = 0; k < BATCH; k++) emitter.emit('bench', k);
  };
  return windowed(mittName(subscribers), round, { ...WINDOW, per: BATCH * subscribers });
}

/** The child: hub and mitt at each subscriber count, all interleaved. */
async function measure(): Promise<Rounds & { sink: number }> {
  const rounds = await interleave(
    SUBSCRIBERS.flatMap((n) => [hub(n, true), hub(n, false), mittEmitter(n)]),
    ROUNDS,
  );
  return { ...rounds, sink };
}

/** Runs row 10 in a child, prints its table and returns its summary lines. */
export async function hubVsMittRows(): Promise<string[]> {
  let rounds: Rounds | undefined;
  try {
    rounds = await runChild<Rounds>('hub-vs-mitt.ts', []);
  } catch (error) {
    printError('signal hub vs mitt (child process)', error);
  }
  const rate = (name: string): number | undefined => {
    const us = rounds === undefined ? undefined : usOf(rounds, name);
    return us === undefined ? undefined : 1e6 / us;
  };
  // Throughput ratio: mitt's time per delivery over the hub's.
  const speed = (n: number, name = hubName(n)): number | undefined =>
    rounds === undefined ? undefined : timeRatio(rounds, mittName(n), name);
  printTable(
    `Signal hub deliveries vs mitt emit (deliveries/s, batches of ${String(BATCH)}, median of ${String(ROUNDS)} interleaved rounds)`,
    ['subscribers', 'hub, batches()', 'hub, per message', 'mitt', 'batches/mitt', 'per message/mitt'],
    SUBSCRIBERS.map((n) => [
      String(n),
      cell(rate(hubName(n)), 0),
      cell(rate(perMessageName(n)), 0),
      cell(rate(mittName(n)), 0),
      cell(speed(n), 2, 'x'),
      cell(speed(n, perMessageName(n)), 2, 'x'),
    ]),
  );
  if (rounds !== undefined) printFailures(rounds);
  return SUBSCRIBERS.map((n) =>
    target(
      `signal hub batches() / mitt throughput, ${String(n)} subscriber${n === 1 ? '' : 's'}`,
      '>=',
      0.5,
      speed(n),
      `hub ${cell(rate(hubName(n)), 0)}/s, mitt ${cell(rate(mittName(n)), 0)}/s`,
    ),
  );
}

if (isMain(import.meta.url)) emit(await measure());
