/**
 * Benchmark: workflow conditions compiled to closures versus the same tests written by hand in JS,
 * over the same frozen scopes. Each timed op evaluates every scope {@link PASSES} times, so the
 * harness's clock reads do not hide the per-evaluation cost.
 *
 * @packageDocumentation
 */
import { parseCondition } from 'theus';
import { fmt, measure, printTable } from './harness.js';

const SCOPES = 64;
const PASSES = 16;

type Layers = {
  readonly domain: {
    readonly retries: number;
    readonly paid: boolean;
    readonly items: readonly number[];
    readonly score: number;
    readonly status: string;
    readonly count: number;
  };
  readonly signal: Readonly<Record<string, string>>;
  readonly x: number;
};

/** Deep-freezes a plain tree, as committed state is. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

const STATUSES = ['new', 'paid', 'shipped', 'refunded'];

function makeScopes(): Layers[] {
  return Array.from({ length: SCOPES }, (_, i) =>
    deepFreeze({
      domain: {
        retries: i % 5,
        paid: i % 3 !== 0,
        items: Array.from({ length: i % 4 }, (_, j) => j),
        score: (i * 7) % 120,
        status: STATUSES[i % 4]!,
        count: i,
      },
      signal: i % 7 === 0 ? { cmd_stop: 'True' } : {},
      x: i,
    }),
  );
}

/** The conditions, each with a hand-written JS function that decides the same thing. */
const CASES: readonly (readonly [source: string, handWritten: (s: Layers) => boolean])[] = [
  ["domain.retries < 3 and not signal.get('cmd_stop')", (s) => s.domain.retries < 3 && !s.signal.cmd_stop],
  ["domain['paid'] == True and len(domain.items) > 0", (s) => s.domain.paid && s.domain.items.length > 0],
  ['x % 2 == 0', (s) => s.x % 2 === 0],
  [
    "0 < domain.score <= 100 and domain.status in ['paid', 'shipped']",
    (s) => 0 < s.domain.score && s.domain.score <= 100 && (s.domain.status === 'paid' || s.domain.status === 'shipped'),
  ],
  ["signal.get('cmd_stop') == 'True' or domain.count % 5 != 0", (s) => s.signal.cmd_stop === 'True' || s.domain.count % 5 !== 0],
];

/** Counts true results so the JIT cannot drop the evaluations. */
function runAll(scopes: readonly Layers[], test: (s: Layers) => boolean): number {
  let hits = 0;
  for (let pass = 0; pass < PASSES; pass++) for (const scope of scopes) if (test(scope)) hits++;
  return hits;
}

/** Runs the condition benchmark; `ratio` is the worst hand-written ÷ compiled evaluations/s. */
export async function conditionBench(): Promise<{ ratio: number | undefined }> {
  const scopes = makeScopes();
  const perOp = SCOPES * PASSES;
  const rows: string[][] = [];
  const ratios: number[] = [];
  const compiled = CASES.map(([source]) => parseCondition(source));
  // Every variant goes through the same (megamorphic) call site, as a workflow runner's would.
  for (const [index, [source, handWritten]] of CASES.entries()) {
    const condition = compiled[index]!;
    if (runAll(scopes, (s) => condition.test(s)) !== runAll(scopes, handWritten))
      throw new Error(`condition bench: results differ for ${source}`);
  }
  for (const [index, [source, handWritten]] of CASES.entries()) {
    const condition = compiled[index]!;
    const ours = (s: Layers): boolean => condition.test(s);
    const hand = await measure('hand-written', () => runAll(scopes, handWritten));
    const mine = await measure('compiled', () => runAll(scopes, ours));
    const handRate = hand.opsPerSec === undefined ? undefined : hand.opsPerSec * perOp;
    const ourRate = mine.opsPerSec === undefined ? undefined : mine.opsPerSec * perOp;
    const ratio = handRate === undefined || ourRate === undefined ? undefined : handRate / ourRate;
    if (ratio !== undefined) ratios.push(ratio);
    rows.push([
      source,
      handRate === undefined ? 'error' : fmt(handRate),
      ourRate === undefined ? 'error' : fmt(ourRate),
      ourRate === undefined ? 'error' : fmt(1e9 / ourRate, 1),
      ratio === undefined ? 'error' : `${fmt(ratio, 2)}x`,
    ]);
  }
  printTable(
    `Workflow conditions (${SCOPES} frozen scopes x ${PASSES} passes per op)`,
    ['condition', 'hand evals/s', 'compiled evals/s', 'ns/eval', 'hand/compiled'],
    rows,
  );
  const geomean = ratios.length === 0 ? undefined : Math.exp(ratios.reduce((sum, r) => sum + Math.log(r), 0) / ratios.length);
  if (geomean !== undefined) console.log(`geometric mean hand/compiled: ${fmt(geomean, 2)}x; worst: ${fmt(Math.max(...ratios), 2)}x`);
  return { ratio: ratios.length === CASES.length ? Math.max(...ratios) : undefined };
}
