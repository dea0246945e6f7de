/**
 * Benchmark: a committed run on an engine that audits it with five rules (three on the input
 * gate, two on the output gate, all passing) against the same run on an engine without audit.
 * Both engines run in the same process, interleaved, so the ratio survives a noisy machine.
 *
 * @packageDocumentation
 */
import { Engine, process } from 'theus';
import { fmt, median, printTable, WARMUP_MS, window, WINDOW_MS } from './harness.js';

const RECIPE = `
process_recipes:
  transfer:
    inputs:
      - { field: amount, min: 0.01, max: 10000, level: B, message: "Transfer limit" }
      - { field: currency, in: [EUR, USD, GBP], level: B }
      - { field: domain.owner, regex: "^acc-[0-9]+$", level: C }
    outputs:
      - { field: domain.balance, min: 0, level: S }
      - { field: domain.history, min: 0, max: 1000000000, level: B }
`;

const transfer = process(
  { name: 'transfer', inputs: ['domain.balance', 'domain.history'], outputs: ['domain.balance', 'domain.history'] },
  (ctx, args: { amount: number; currency: string }) => {
    ctx.domain.balance = (ctx.domain.balance as number) + args.amount;
    return { 'domain.history': (ctx.domain.history as number) + 1 };
  },
);

function engine(audited: boolean): Engine {
  const context = { domain: { balance: 0, history: 0, owner: 'acc-7' } };
  return new Engine(audited ? { context, processes: [transfer], audit: RECIPE } : { context, processes: [transfer] });
}

/** Runs the benchmark and returns audited / unaudited run time (lower is better; target <= 1.3). */
export async function auditedRunBench(): Promise<{ ratio: number | undefined }> {
  const plain = engine(false);
  const audited = engine(true);
  const args = { amount: 1, currency: 'EUR' };
  const plainRates: number[] = [];
  const auditedRates: number[] = [];
  const ratios: number[] = [];
  const runPlain = (): Promise<unknown> => plain.execute('transfer', args);
  const runAudited = (): Promise<unknown> => audited.execute('transfer', args);
  await window(runPlain, WARMUP_MS);
  await window(runAudited, WARMUP_MS);
  for (let round = 0; round < 9; round++) {
    // Alternate which side goes first, so the garbage one side leaves does not always land on the other.
    const first = round % 2 === 0 ? runPlain : runAudited;
    const second = first === runPlain ? runAudited : runPlain;
    const a = await window(first, WINDOW_MS);
    const b = await window(second, WINDOW_MS);
    const p = first === runPlain ? a : b;
    const q = first === runPlain ? b : a;
    plainRates.push(p);
    auditedRates.push(q);
    ratios.push(p / q);
  }
  const p = median(plainRates);
  const a = median(auditedRates);
  // The median of per-round ratios: each round times both variants back to back, so a slow
  // patch of the shared machine affects both sides of one ratio.
  const ratio = ratios.length > 0 ? median(ratios) : undefined;
  printTable(
    'Audited run (5 rules) vs unaudited run',
    ['variant', 'runs/s', 'us/run', 'time ratio'],
    [
      ['unaudited', fmt(p), fmt(1e6 / p, 2), '1.00x'],
      ['audited (5 rules)', fmt(a), fmt(1e6 / a, 2), `${fmt(ratio ?? 0, 2)}x`],
    ],
  );
  const logged = audited.audit.logs().length;
  if (logged === 0) throw new Error('the audited engine logged no checks: the benchmark measured nothing');
  return { ratio };
}
