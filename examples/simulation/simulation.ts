import { createTheus } from 'theus';

/** The simulation's state: a large shared field (HEAVY) and what the steps concluded (DATA). */
export interface SimulationState {
  heavy: { field?: Float64Array };
  domain: { chunks: Record<string, { sum: number; max: number }>; summary?: { mean: number; max: number; cells: number } };
}

/** The typed front door of the simulation. */
export const simulation = createTheus<SimulationState>();

/**
 * One step of the simulation on one slice of the field, in a worker thread: it fills its cells
 * in place (the field is shared memory, never copied) and commits a small summary of its slice.
 */
export const simulateChunk = simulation.process(
  { inputs: ['heavy.field'], outputs: ['domain.chunks'], parallel: true },
  function simulateChunk(ctx, { chunk, chunks }: { chunk: number; chunks: number }) {
    const field = ctx.heavy.field;
    if (field === undefined) throw new RangeError('allocate heavy.field first');
    const size = Math.ceil(field.length / chunks);
    const start = chunk * size;
    const end = Math.min(field.length, start + size);
    let sum = 0;
    let max = -Infinity;
    for (let i = start; i < end; i++) {
      const value = Math.sin(i / 1000) * Math.cos(i / 7000) + Math.sqrt(i % 97);
      field[i] = value;
      sum += value;
      if (value > max) max = value;
    }
    ctx.domain.chunks[String(chunk)] = { sum, max };
  },
);

/** Combines the slices' summaries on the main thread. */
export const summarize = simulation.process(
  { inputs: ['domain.chunks', 'heavy.field'], outputs: ['domain.summary'] },
  function summarize(ctx) {
    const parts = Object.values(ctx.domain.chunks);
    const cells = ctx.heavy.field?.length ?? 0;
    const sum = parts.reduce((total, part) => total + part.sum, 0);
    return { mean: sum / cells, max: Math.max(...parts.map((part) => part.max)), cells };
  },
);
