/**
 * Benchmark: the cost of the workflow runner. A 1,000-step workflow runs the same trivial
 * operations that a plain loop calls directly through the same runtime; the ratio is
 * direct ops/s ÷ workflow ops/s (one op = 1,000 operations). Two runtimes: an async stub (the
 * runner's own overhead, the target) and an engine running a no-op pure process (for scale).
 *
 * @packageDocumentation
 */
import { Engine, loadWorkflow, process, runWorkflow, type WorkflowRuntime } from 'theus';
import { fmt, measure, median, printError, printTable, type VariantResult } from './harness.js';

const STEPS = 1_000;

/** Keeps the stub's work observable. */
let counter = 0;

const noop = process({ name: 'tick', inputs: [], semantic: 'pure' }, () => undefined);

/** Rounds of alternating measurements; the median of each side damps drift on a busy machine. */
const ROUNDS = 5;

/** Times one runtime both ways, alternating; returns [direct, workflow] with median ops/s. */
async function pair(label: string, runtime: WorkflowRuntime): Promise<[VariantResult, VariantResult]> {
  const workflow = loadWorkflow(`steps:\n${'  - tick\n'.repeat(STEPS)}`, { processes: new Set(['tick']) });
  const direct = async (): Promise<void> => {
    for (let i = 0; i < STEPS; i++) await runtime.execute('tick', undefined);
  };
  const flow = async (): Promise<void> => {
    const result = await runWorkflow(workflow, runtime, { maxOps: STEPS });
    if (result.status !== 'complete') throw result.error ?? new Error('workflow failed');
  };
  const sides: [VariantResult[], VariantResult[]] = [[], []];
  for (let round = 0; round < ROUNDS; round++) {
    sides[0].push(await measure(`${label}: direct`, direct));
    sides[1].push(await measure(`${label}: workflow`, flow));
  }
  return [combine(sides[0]), combine(sides[1])];
}

/** The median of several measurements of one variant (or its first error). */
function combine(results: readonly VariantResult[]): VariantResult {
  const first = results[0]!;
  const failed = results.find((r) => r.opsPerSec === undefined);
  if (failed !== undefined) return failed;
  return { name: first.name, opsPerSec: median(results.map((r) => r.opsPerSec!)) };
}

/** Runs the workflow benchmark, prints its table and returns the stub-runtime ratio. */
export async function workflowBench(): Promise<{ ratio: number | undefined }> {
  const stub: WorkflowRuntime = {
    execute: async () => {
      counter++;
      await Promise.resolve();
    },
    scope: () => ({}),
  };
  const engine = new Engine({ context: { domain: {} }, processes: [noop] });
  const viaEngine: WorkflowRuntime = { execute: (name, args) => engine.execute(name, args), scope: () => ({}) };
  const rows: string[][] = [];
  const ratios: (number | undefined)[] = [];
  for (const [label, runtime] of [
    ['async stub', stub],
    ['engine (pure no-op)', viaEngine],
  ] as const) {
    const [direct, flow] = await pair(label, runtime);
    for (const variant of [direct, flow]) if (variant.error !== undefined) printError(variant.name, variant.error);
    const ratio = direct.opsPerSec !== undefined && flow.opsPerSec !== undefined ? direct.opsPerSec / flow.opsPerSec : undefined;
    ratios.push(ratio);
    const cell = (v: VariantResult): string => (v.opsPerSec === undefined ? 'failed' : fmt(v.opsPerSec * STEPS));
    rows.push([label, cell(direct), cell(flow), ratio === undefined ? 'n/a' : `${fmt(ratio, 2)}x`]);
  }
  printTable(`workflow runner: ${fmt(STEPS)} steps per run (operations/s)`, ['runtime', 'direct', 'workflow', 'direct/workflow'], rows);
  if (counter < 0) console.log(counter);
  return { ratio: ratios[0] };
}
