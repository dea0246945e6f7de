import { Engine, type EngineOptions } from 'theus';
// Until the engine exposes `engine.heavy` (and the entry exports EngineHeavy), the tests build it
// over the engine's public methods, as the engine will.
import { EngineHeavy } from '../../src/heavy/index.js';

/** `engine.heavy` when the engine has it, else an EngineHeavy over the engine's public methods. */
export function heavyOf<TState extends object>(engine: Engine<TState>): EngineHeavy {
  const wired = (engine as unknown as { heavy?: EngineHeavy }).heavy;
  if (wired !== undefined) return wired;
  return new EngineHeavy({
    edit: (recipe) => engine.edit(recipe),
    state: () => engine.state,
  });
}

/** A fresh engine (by default an empty `heavy` layer and a little DATA) and its HEAVY zone. */
export function heavyEngine(options: EngineOptions = {}): {
  engine: Engine;
  heavy: EngineHeavy;
} {
  const engine = new Engine<Record<string, unknown>>({ context: { heavy: {}, domain: { n: 0 } }, ...options });
  return { engine, heavy: heavyOf(engine) };
}

/** The HEAVY layer of an engine's committed state. */
export function layerOf(engine: Engine): Record<string, unknown> {
  return engine.state['heavy'] as Record<string, unknown>;
}
