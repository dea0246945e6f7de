/**
 * What the torture child commits and what the parent checks after each kill.
 *
 * Each commit of writer `w` with index `i` writes two paths and adds one outbox message:
 * `domain.counts.w = i`, `domain.items['w_i'] = i`, and `{ writer: w, i }` on topic `step`. So a
 * state that is exactly the acknowledged commits (and perhaps some unacknowledged ones that made
 * it to disk) has, for every writer, a count `c`, the items `w_1`..`w_c` and no other item, `c`
 * pending messages, and a version equal to the sum of the counts. A lost commit, a partial one or
 * a duplicated one breaks one of those.
 *
 * @packageDocumentation
 */
import { createTheus } from 'theus';

/** The state of the torture engine. */
export interface TortureState {
  domain: { counts: Record<string, number>; items: Record<string, number> };
}

const torture = createTheus<TortureState>();

/** One commit of writer `writer`, its `i`-th. */
export const step = torture.process(
  { inputs: ['domain.counts'], outputs: ['domain.counts', 'domain.items'] },
  function step(ctx, { writer, i }: { writer: string; i: number }) {
    ctx.domain.counts[writer] = i;
    ctx.domain.items[`${writer}_${String(i)}`] = i;
    ctx.outbox.add('step', { writer, i });
  },
);

/** What the reopened engine holds, as the check needs it. */
export interface Reopened {
  readonly version: number;
  readonly state: TortureState;
  /** The pending outbox messages' payloads, in commit order. */
  readonly messages: readonly { readonly writer: string; readonly i: number }[];
}

/**
 * The problems of a reopened state, given the highest acknowledged index per writer (and the
 * counts the previous check saw, which must not go backwards): empty when none.
 */
export function problemsOf(reopened: Reopened, acked: ReadonlyMap<string, number>, before: Readonly<Record<string, number>>): string[] {
  const problems: string[] = [];
  const { counts, items } = reopened.state.domain;
  for (const [writer, i] of acked) {
    if ((counts[writer] ?? 0) < i)
      problems.push(`lost: writer ${writer} acknowledged ${String(i)}, the file holds ${String(counts[writer] ?? 0)}`);
  }
  for (const [writer, count] of Object.entries(before)) {
    if ((counts[writer] ?? 0) < count)
      problems.push(`went back: writer ${writer} had ${String(count)}, now ${String(counts[writer] ?? 0)}`);
  }
  let total = 0;
  for (const [writer, count] of Object.entries(counts)) {
    total += count;
    for (let i = 1; i <= count; i++) {
      if (items[`${writer}_${String(i)}`] !== i) problems.push(`partial: writer ${writer} count ${String(count)} lacks item ${String(i)}`);
    }
  }
  for (const key of Object.keys(items)) {
    const [writer, index] = key.split('_') as [string, string];
    if (Number(index) > (counts[writer] ?? 0)) problems.push(`partial: item ${key} without its count`);
  }
  if (reopened.version !== total) problems.push(`version ${String(reopened.version)} is not the number of commits ${String(total)}`);
  const seen = new Map<string, number>();
  for (const message of reopened.messages) {
    const last = seen.get(message.writer) ?? 0;
    if (message.i !== last + 1) problems.push(`outbox: writer ${message.writer} message ${String(message.i)} after ${String(last)}`);
    seen.set(message.writer, message.i);
  }
  for (const [writer, count] of Object.entries(counts)) {
    if ((seen.get(writer) ?? 0) !== count)
      problems.push(`outbox: writer ${writer} has ${String(seen.get(writer) ?? 0)} messages for ${String(count)} commits`);
  }
  return problems;
}
