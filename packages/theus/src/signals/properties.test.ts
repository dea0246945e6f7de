import { describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { SignalLagError } from '../errors/index.js';
import { SignalHub } from './index.js';
import { MessageRing } from './message-ring.js';

const topics = ['a.x', 'a.y', 'b'] as const;
/** Filters with the model's own idea of which topics each one receives. */
const filters: readonly { topics: string | readonly string[] | undefined; wanted: (topic: string) => boolean }[] = [
  { topics: undefined, wanted: () => true },
  { topics: 'a.*', wanted: (topic) => topic.startsWith('a.') },
  { topics: 'b', wanted: (topic) => topic === 'b' },
  { topics: ['a.x', 'b'], wanted: (topic) => topic === 'a.x' || topic === 'b' },
];

const step = fc.oneof(
  fc.record({ kind: fc.constant('publish' as const), topic: fc.constantFrom(...topics) }),
  fc.record({ kind: fc.constant('consume' as const), count: fc.integer({ min: 1, max: 6 }) }),
);

/** What one `next()` yields: a seq or a lag report. */
type Outcome = number | { lag: number };

describe('SignalHub against a sequential model', () => {
  test.prop([
    fc.integer({ min: 1, max: 5 }),
    fc.constantFrom(...filters),
    fc.array(fc.constantFrom(...topics), { maxLength: 8 }),
    fc.array(step, { maxLength: 80, size: 'max' }),
  ])(
    'receives an ordered suffix-consistent subsequence; missed + received = published',
    async (size, { topics: filter, wanted }, before, steps) => {
      const hub = new SignalHub();
      for (const topic of before) hub.publish(topic);
      const sub = hub.subscribe(filter, { bufferSize: size });
      // The model: a bounded queue of seqs plus the misses not yet reported.
      const queue: number[] = [];
      let lag = 0;
      let published = 0;
      const expected: Outcome[] = [];
      const actual: Outcome[] = [];
      const consumeOne = async (): Promise<void> => {
        if (lag > 0) (expected.push({ lag }), (lag = 0));
        else expected.push(queue.shift()!);
        try {
          const result = await sub.next();
          actual.push(result.done === true ? -1 : result.value.seq);
        } catch (error) {
          if (!(error instanceof SignalLagError)) throw error;
          actual.push({ lag: error.details.missed as number });
        }
      };
      for (const s of steps) {
        if (s.kind === 'publish') {
          const { seq } = hub.publish(s.topic);
          if (!wanted(s.topic)) continue;
          published++;
          queue.push(seq);
          if (queue.length > size) (queue.shift(), lag++);
        } else {
          for (let i = 0; i < s.count && (lag > 0 || queue.length > 0); i++) await consumeOne();
        }
      }
      while (lag > 0 || queue.length > 0) await consumeOne();
      hub.close();
      expect(await sub.next()).toEqual({ value: undefined, done: true });
      expect(actual).toEqual(expected);
      const received = actual.filter((o): o is number => typeof o === 'number');
      expect(received).toEqual([...received].sort((x, y) => x - y));
      expect(new Set(received).size).toBe(received.length);
      expect(sub.missed + received.length).toBe(published);
    },
  );
});

describe('MessageRing', () => {
  test.prop([fc.integer({ min: 1, max: 40 }), fc.array(fc.option(fc.nat(), { nil: undefined }), { maxLength: 300, size: 'max' })])(
    'behaves as a FIFO that drops its oldest item beyond capacity',
    (capacity, ops) => {
      const ring = new MessageRing<number>(capacity);
      const model: number[] = [];
      for (const op of ops) {
        if (op === undefined) {
          expect(ring.shift()).toBe(model.shift());
        } else {
          model.push(op);
          const dropped = model.length > capacity;
          if (dropped) model.shift();
          expect(ring.push(op)).toBe(dropped);
        }
        expect(ring.size).toBe(model.length);
      }
    },
  );
});
