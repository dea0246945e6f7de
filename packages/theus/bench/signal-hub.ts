/**
 * Benchmark: signal hub throughput, end to end. Each round publishes a batch of `BATCH` messages
 * (the default buffer size, so nothing is lost) and waits until every subscriber's `for await`
 * loop has received all of them. Reports messages/s for one subscriber and total deliveries/s
 * across ten, plus the wake-up path (one message to a waiting consumer) and a publish nobody hears.
 *
 * @packageDocumentation
 */
import { SignalHub } from 'theus';
import { fmt, measure, printError, printTable } from './harness.js';

/** Messages per round: the default buffer size, so nothing is lost. */
export const BATCH = 100;

/** Keeps consumed values alive so the JIT cannot drop the loops. */
let sink = 0;

/** A hub with for-await consumers: `round()` publishes a batch and resolves once every consumer got all of it. */
export interface DeliveryRig {
  readonly round: () => Promise<void>;
  /** Closes the hub and waits for the consumers' loops to end. */
  close(): Promise<void>;
}

/** A hub with `subscribers` for-await consumers of topic `bench`, publishing `batch` messages per round. */
export function deliveryRig(subscribers: number, batch: number, batched = false): DeliveryRig {
  const hub = new SignalHub();
  let delivered = 0;
  let goal = 0;
  let wake: () => void = () => undefined;
  const receive = (seq: number): void => {
    sink += seq;
    if (++delivered === goal) wake();
  };
  const consume = async (): Promise<void> => {
    const subscription = hub.subscribe('bench');
    if (batched) {
      for await (const messages of subscription.batches()) for (const message of messages) receive(message.seq);
    } else {
      for await (const message of subscription) receive(message.seq);
    }
  };
  const loops = Array.from({ length: subscribers }, consume);
  return {
    round: () =>
      new Promise<void>((resolve) => {
        goal += batch * subscribers;
        wake = resolve;
        for (let k = 0; k < batch; k++) hub.publish('bench', k);
      }),
    async close() {
      hub.close();
      await Promise.all(loops);
    },
  };
}

/** Deliveries per second through `subscribers` for-await consumers, publishing `batch` per round. */
async function deliveries(name: string, subscribers: number, batch: number): Promise<number | undefined> {
  const rig = deliveryRig(subscribers, batch);
  const result = await measure(name, rig.round);
  await rig.close();
  if (result.error !== undefined) printError(name, result.error);
  return result.opsPerSec === undefined ? undefined : result.opsPerSec * batch * subscribers;
}

/** Publishes per second with no subscriber at all (the cost a commit pays when nobody listens). */
async function idlePublish(): Promise<number | undefined> {
  const hub = new SignalHub();
  let k = 0;
  const result = await measure('publish, no subscribers', () => {
    for (let i = 0; i < BATCH; i++) hub.publish('idle', k++);
  });
  return result.opsPerSec === undefined ? undefined : result.opsPerSec * BATCH;
}

/** Runs the signal hub benchmark, prints its table and returns the two headline rates. */
export async function signalHubBench(): Promise<{ one: number | undefined; ten: number | undefined }> {
  const one = await deliveries('1 subscriber', 1, BATCH);
  const ten = await deliveries('10 subscribers', 10, BATCH);
  const wakeUp = await deliveries('1 subscriber, wake-up', 1, 1);
  const idle = await idlePublish();
  const show = (value: number | undefined): string => (value === undefined ? 'failed' : fmt(value));
  printTable(
    'Signal hub (publish + for-await consume, end to end)',
    ['variant', 'messages/s'],
    [
      [`1 subscriber, batches of ${BATCH}`, show(one)],
      [`10 subscribers, batches of ${BATCH} (total deliveries)`, show(ten)],
      ['1 subscriber, one message to a waiting consumer', show(wakeUp)],
      ['publish with no subscriber', show(idle)],
    ],
  );
  if (sink === -1) console.log(sink);
  return { one, ten };
}
