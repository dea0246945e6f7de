/**
 * Rows 1 and 2: the trivial run. A process increments `domain.counter` (declared as input and
 * output); one operation is an awaited `engine.execute`. Baselines: Redux Toolkit
 * (`createSlice` + `configureStore` with its default middleware, which adds no dev checks in
 * production), XState (`assign` on an event) and Zustand (`setState`). The default mode and
 * training mode (`transactional: false`) each run in a process of their own.
 *
 * Child: `node --import tsx bench/trivial-run.ts default|training` prints its {@link Rounds}.
 *
 * @packageDocumentation
 */
import { configureStore, createSlice } from '@reduxjs/toolkit';
import { Engine, process } from 'theus';
import { assign, createActor, setup } from 'xstate';
import { createStore } from 'zustand/vanilla';
import { emit, isMain, runChild } from './child.js';
import { printError, printTable, target } from './harness.js';
import { cell, interleave, printFailures, timeRatio, usOf, windowed, type Rounds, type Sampler } from './rounds.js';

/** Runs per timed call, so the clock reads weigh nothing next to the runs. */
const BATCH = 100;
const ROUNDS = 9;
const WINDOW = { per: BATCH, ms: 150, warmupMs: 300 } as const;

type Mode = 'default' | 'training';

const inc = process({ name: 'inc', inputs: ['domain.counter'], outputs: ['domain.counter'] }, (ctx) => {
  ctx.domain.counter = ctx.domain.counter + 1;
});

/** A sampler of `batch()` whose counter (`count()`) must equal the runs made. */
function counted(name: string, batch: () => unknown, count: () => number): Sampler {
  let calls = 0;
  const op = (): unknown => {
    calls++;
    return batch();
  };
  return windowed(name, op, WINDOW, () => {
    if (count() !== calls * BATCH) throw new Error(`${name}: counter ${String(count())}, expected ${String(calls * BATCH)}`);
  });
}

function theus(mode: Mode): Sampler {
  const engine = new Engine({ context: { domain: { counter: 0 } }, processes: [inc], transactional: mode === 'default' });
  const batch = async (): Promise<void> => {
    for (let i = 0; i < BATCH; i++) await engine.execute(inc);
  };
  return counted(`theus ${mode}`, batch, () => engine.state.domain.counter);
}

function rtk(): Sampler {
  const slice = createSlice({
    name: 'counter',
    initialState: { counter: 0 },
    reducers: {
      inc: (s) => {
        s.counter += 1;
      },
    },
  });
  const store = configureStore({ reducer: slice.reducer });
  const batch = (): void => {
    for (let i = 0; i < BATCH; i++) store.dispatch(slice.actions.inc());
  };
  return counted('redux toolkit', batch, () => store.getState().counter);
}

function xstate(): Sampler {
  const machine = setup({
    types: { context: {} as { count: number } },
    actions: { inc: assign({ count: ({ context }) => context.count + 1 }) },
  }).createMachine({ context: { count: 0 }, on: { INC: { actions: 'inc' } } });
  const actor = createActor(machine).start();
  const batch = (): void => {
    for (let i = 0; i < BATCH; i++) actor.send({ type: 'INC' });
  };
  return counted('xstate', batch, () => actor.getSnapshot().context.count);
}

function zustand(): Sampler {
  const store = createStore<{ count: number }>()(() => ({ count: 0 }));
  const batch = (): void => {
    for (let i = 0; i < BATCH; i++) store.setState((s) => ({ count: s.count + 1 }));
  };
  return counted('zustand', batch, () => store.getState().count);
}

/** The child: Theus in `mode` interleaved with the baselines (RTK only, as a yardstick, in training mode). */
async function measure(mode: Mode): Promise<Rounds> {
  return interleave(mode === 'default' ? [theus(mode), rtk(), xstate(), zustand()] : [theus(mode), rtk()], ROUNDS);
}

/** Runs rows 1 and 2 (one child per mode), prints their table and returns their summary lines. */
export async function trivialRunRows(): Promise<string[]> {
  const results: Partial<Record<Mode, Rounds>> = {};
  for (const mode of ['default', 'training'] as const) {
    try {
      results[mode] = await runChild<Rounds>('trivial-run.ts', [mode]);
    } catch (error) {
      printError(`trivial run, ${mode} mode (child process)`, error);
    }
  }
  const rows: string[][] = [];
  for (const [mode, rounds] of Object.entries(results)) {
    for (const name of Object.keys(rounds.us)) {
      rows.push([mode, name, cell(usOf(rounds, name), 3), cell(timeRatio(rounds, name, 'redux toolkit'), 2, 'x')]);
    }
  }
  printTable(
    `Trivial run: one increment (us/run, median of ${String(ROUNDS)} interleaved rounds; one process per Theus mode)`,
    ['process', 'variant', 'us/run', 'time vs RTK (same process)'],
    rows,
  );
  for (const rounds of Object.values(results)) printFailures(rounds);
  const d = results.default;
  const t = results.training;
  const theusUs = d === undefined ? undefined : usOf(d, 'theus default');
  const rtkUs = d === undefined ? undefined : usOf(d, 'redux toolkit');
  const vsRtk = d === undefined ? undefined : timeRatio(d, 'theus default', 'redux toolkit');
  const trainingUs = t === undefined ? undefined : usOf(t, 'theus training');
  const figures = `theus ${cell(theusUs, 3)} us, RTK ${cell(rtkUs, 3)} us`;
  return [
    target('trivial run, default mode: theus / RTK time', '<=', 1, vsRtk, figures),
    target('trivial run, default mode: theus / RTK time (stretch)', '<=', 0.5, vsRtk, figures),
    target(
      'trivial run: training / default mode time (two processes)',
      '<=',
      0.3,
      trainingUs === undefined || theusUs === undefined ? undefined : trainingUs / theusUs,
      `training ${cell(trainingUs, 3)} us, default ${cell(theusUs, 3)} us`,
    ),
  ];
}

if (isMain(import.meta.url)) {
  const mode = globalThis.process.argv[2];
  if (mode !== 'default' && mode !== 'training') throw new Error(`usage: trivial-run.ts default|training, got ${String(mode)}`);
  emit(await measure(mode));
}
