/**
 * A tiny benchmark harness with no dependencies: warm up, then time a few fixed windows and
 * keep the median ops/s. It only measures and prints; it never asserts on timings.
 *
 * @packageDocumentation
 */
import { performance } from 'node:perf_hooks';

/** How long to warm up and how long each timed window lasts, in milliseconds. */
export const WARMUP_MS = 300;
export const WINDOW_MS = 300;
export const WINDOWS = 3;

/** The outcome of one variant: its median ops/s, or the error it threw. */
export interface VariantResult {
  readonly name: string;
  readonly opsPerSec: number | undefined;
  readonly error?: unknown;
}

/** The median of a non-empty list of numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Runs `op` (sync or async, awaited one at a time) at least once and for `ms`, and returns ops/s. */
export async function window(op: () => unknown, ms: number): Promise<number> {
  let count = 0;
  const start = performance.now();
  let now: number;
  do {
    const out = op();
    if (out instanceof Promise) await out;
    count++;
    now = performance.now();
  } while (now - start < ms);
  return (count * 1000) / (now - start);
}

/** Warms `op` up, then returns the median ops/s of {@link WINDOWS} timed windows. */
export async function measure(name: string, op: () => unknown): Promise<VariantResult> {
  try {
    await window(op, WARMUP_MS);
    const rates: number[] = [];
    for (let i = 0; i < WINDOWS; i++) rates.push(await window(op, WINDOW_MS));
    return { name, opsPerSec: median(rates) };
  } catch (error) {
    return { name, opsPerSec: undefined, error };
  }
}

/** Formats a number with thousands separators and `digits` decimals. */
export function fmt(value: number, digits = 0): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** Prints rows as a left/right aligned text table. */
export function printTable(title: string, header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(`\n== ${title} ==`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}

/** Prints a variant's error in full (message, code, details, stack) so it can be reported. */
export function printError(name: string, error: unknown): void {
  console.log(`\n!! ${name} threw:`);
  if (error instanceof Error) {
    const extra = error as Error & { code?: unknown; details?: unknown };
    if (extra.code !== undefined) console.log(`   code: ${JSON.stringify(extra.code)}`);
    if (extra.details !== undefined) console.log(`   details: ${JSON.stringify(extra.details)}`);
    console.log(error.stack ?? `${error.name}: ${error.message}`);
  } else {
    console.log(String(error));
  }
}

/**
 * One summary line: `TARGET <label> <op> <goal>x: <value>x (met|missed)`, then `note` (the
 * figures behind the ratio) in brackets when given. `unit` replaces the `x` of a ratio for goals
 * in absolute units (`'s'`).
 */
export function target(label: string, op: '<=' | '>=', goal: number, value: number | undefined, note?: string, unit = 'x'): string {
  const tail = note === undefined ? '' : ` [${note}]`;
  const shown = unit === 'x' ? unit : ` ${unit}`;
  if (value === undefined || !Number.isFinite(value)) return `TARGET ${label} ${op} ${goal}${shown}: n/a (variant failed)${tail}`;
  const met = op === '<=' ? value <= goal : value >= goal;
  return `TARGET ${label} ${op} ${goal}${shown}: ${fmt(value, 2)}${shown} (${met ? 'met' : 'missed'})${tail}`;
}
