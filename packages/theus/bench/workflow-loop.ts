/**
 * Rows 8 and 9: what the workflow runner adds on an engine.
 *
 * - Row 8: `flux: while` (`domain.counter < 1000`, doing `inc`) against a JS loop awaiting
 *   `engine.execute('inc')` 1,000 times. Each op first runs `reset` (both sides), so it always
 *   makes the same 1,000 increments.
 * - Row 9: a 5-step workflow passed as YAML text to every `engine.executeWorkflow` against the
 *   same workflow loaded once with `loadWorkflow`.
 *
 * Child: `node --import tsx bench/workflow-loop.ts` prints one {@link Rounds} per row.
 *
 * @packageDocumentation
 */
import { Engine, loadWorkflow, process, type Workflow } from 'theus';
import { emit, isMain, runChild } from './child.js';
import { fmt, printError, printTable, target } from './harness.js';
import { cell, interleave, printFailures, timeRatio, usOf, windowed, type Rounds, type Sampler } from './rounds.js';

const ITERATIONS = 1_000;
const ROUNDS = 7;
const WINDOW = { ms: 250, warmupMs: 400 } as const;

const inc = process({ name: 'inc', inputs: ['domain.counter'], outputs: ['domain.counter'] }, (ctx) => {
  ctx.domain.counter = ctx.domain.counter + 1;
});
const reset = process({ name: 'reset', outputs: ['domain.counter'] }, () => 0);

const WHILE_YAML = `steps:
  - reset
  - flux: while
    condition: domain.counter < ${String(ITERATIONS)}
    do:
      - inc
`;
const FIVE_STEPS_YAML = `steps:\n${'  - inc\n'.repeat(5)}`;

function counterEngine(): Engine<{ domain: { counter: number } }> {
  return new Engine({ context: { domain: { counter: 0 } }, processes: [inc, reset] });
}

/** Loads `text` once, as the engine would, without its scope names check. */
function loaded(engine: Engine, text: string): Workflow {
  return loadWorkflow(text, { processes: new Set(engine.processes) });
}

/** Row 8: the while loop against the JS loop; each op checks it ended at exactly {@link ITERATIONS}. */
function whileLoop(): Sampler[] {
  const engine = counterEngine();
  const workflow = loaded(engine, WHILE_YAML);
  const ended = (name: string): void => {
    if (engine.state.domain.counter !== ITERATIONS) throw new Error(`${name}: counter ${String(engine.state.domain.counter)}`);
  };
  const flow = async (): Promise<void> => {
    await engine.executeWorkflow(workflow);
    ended('flux: while');
  };
  const loop = async (): Promise<void> => {
    await engine.execute(reset);
    for (let i = 0; i < ITERATIONS; i++) await engine.execute('inc');
    ended('JS loop');
  };
  return [windowed('flux: while', flow, WINDOW), windowed('JS loop', loop, WINDOW)];
}

/** Row 9: YAML text on every run against the loaded workflow. */
function textOrLoaded(): Sampler[] {
  const engine = counterEngine();
  const workflow = loaded(engine, FIVE_STEPS_YAML);
  return [
    windowed('YAML text', () => engine.executeWorkflow(FIVE_STEPS_YAML), WINDOW),
    windowed('loaded once', () => engine.executeWorkflow(workflow), WINDOW),
  ];
}

/** What the child sends. */
interface LoopResults {
  readonly whileLoop: Rounds;
  readonly textOrLoaded: Rounds;
}

/** The child: both rows, each pair interleaved. */
async function measure(): Promise<LoopResults> {
  return { whileLoop: await interleave(whileLoop(), ROUNDS), textOrLoaded: await interleave(textOrLoaded(), ROUNDS) };
}

/** Runs rows 8 and 9 in a child, prints their table and returns their summary lines. */
export async function workflowLoopRows(): Promise<string[]> {
  let results: LoopResults | undefined;
  try {
    results = await runChild<LoopResults>('workflow-loop.ts', []);
  } catch (error) {
    printError('workflow loop (child process)', error);
  }
  const rows =
    results === undefined
      ? []
      : ([
          [`flux: while, ${fmt(ITERATIONS)} iterations`, results.whileLoop, 'flux: while', 'JS loop'],
          ['5-step workflow', results.textOrLoaded, 'YAML text', 'loaded once'],
        ] as const);
  printTable(
    `Workflow runner on an engine (ms per workflow, median of ${String(ROUNDS)} interleaved rounds)`,
    ['workflow', 'variant', 'ms', 'vs baseline'],
    rows.flatMap(([label, rounds, a, b]) => [
      [label, a, cell((usOf(rounds, a) ?? NaN) / 1000, 3), cell(timeRatio(rounds, a, b), 2, 'x')],
      [label, b, cell((usOf(rounds, b) ?? NaN) / 1000, 3), '1.00x'],
    ]),
  );
  if (results !== undefined) for (const rounds of Object.values(results)) printFailures(rounds);
  return [
    target(
      `flux: while (${fmt(ITERATIONS)} iterations) / JS loop of execute() time`,
      '<=',
      1.2,
      results === undefined ? undefined : timeRatio(results.whileLoop, 'flux: while', 'JS loop'),
    ),
    target(
      'executeWorkflow(YAML text) / executeWorkflow(loaded workflow) time, 5 steps',
      '<=',
      1.1,
      results === undefined ? undefined : timeRatio(results.textOrLoaded, 'YAML text', 'loaded once'),
    ),
  ];
}

if (isMain(import.meta.url)) emit(await measure());
