/**
 * Benchmark: the cost of one audit gate check with five rules (numbers, a regex, eq on a string,
 * a length and membership), all passing, against the same five comparisons written by hand.
 *
 * @packageDocumentation
 */
import { AuditTracker, loadAuditRecipe } from 'theus';
import { fmt, measure, printTable } from './harness.js';

const RECIPE = `
process_recipes:
  transfer:
    inputs:
      - { field: amount, min: 0.01, max: 10000, level: B, message: "Transfer limit" }
      - { field: dest, regex: "^acc-[0-9]+$", level: C }
      - { field: currency, in: [EUR, USD, GBP], level: B }
      - { field: status, eq: READY, level: A }
      - { field: domain.items, min_len: 1, max_len: 100, level: S }
`;

const values: Readonly<Record<string, unknown>> = Object.freeze({
  amount: 250,
  dest: 'acc-42',
  currency: 'USD',
  status: 'READY',
  'domain.items': Object.freeze([1, 2, 3]),
});

const CURRENCIES = ['EUR', 'USD', 'GBP'];
const DEST = /^acc-[0-9]+$/;

/** Keeps results alive so the JIT cannot drop the work. */
let sink = 0;

function handWritten(): void {
  const amount = values['amount'] as number;
  const items = values['domain.items'] as readonly unknown[];
  const ok =
    amount >= 0.01 &&
    amount <= 10000 &&
    DEST.test(values['dest'] as string) &&
    CURRENCIES.includes(values['currency'] as string) &&
    values['status'] === 'READY' &&
    items.length >= 1 &&
    items.length <= 100;
  if (ok) sink++;
}

/** Measures `tracker.check` with five rules and prints a table; returns checks per second. */
export async function auditCheckBench(): Promise<{ checksPerSec: number | undefined }> {
  const tracker = new AuditTracker(loadAuditRecipe(RECIPE));
  const input = { process: 'transfer', gate: 'input' as const, read: (field: string): unknown => values[field] };
  const first = tracker.check(input);
  if (first.action !== 'pass') throw new Error(`audit bench: expected a pass, got ${first.action}`);
  const check = await measure('tracker.check (5 rules, logged)', () => {
    if (tracker.check(input).action === 'pass') sink++;
  });
  const quiet = new AuditTracker(loadAuditRecipe(RECIPE), { logSize: 0 });
  const unlogged = await measure('tracker.check (5 rules, no log)', () => {
    if (quiet.check(input).action === 'pass') sink++;
  });
  const plain = await measure('hand-written comparisons', handWritten);
  const rows = [check, unlogged, plain].map((r) => [
    r.name,
    r.opsPerSec === undefined ? 'error' : fmt(r.opsPerSec),
    r.opsPerSec === undefined ? 'error' : fmt(1e9 / r.opsPerSec, 0),
  ]);
  printTable('Audit gate check (5 rules, all passing)', ['variant', 'checks/s', 'ns/check'], rows);
  if (sink === 0) throw new Error('audit bench: nothing ran');
  return { checksPerSec: check.opsPerSec };
}
