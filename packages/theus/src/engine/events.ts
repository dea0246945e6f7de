import type { AuditAction, AuditFailure, AuditGate } from '../audit/index.js';
import type { PathSegments } from '../context/paths.js';
import type { Patch } from '../transaction/patches.js';
import type { OutboxMessage } from '../transaction/run-effects.js';

/** Emitted after every successful commit. */
export interface CommitEvent {
  readonly version: number;
  /** The process name, or `engine.edit` / `engine.compareAndSwap`. */
  readonly process: string;
  readonly patches: readonly Patch[];
  readonly inversePatches: readonly Patch[];
  readonly signals: Readonly<Record<string, unknown>>;
  readonly outbox: readonly OutboxMessage[];
  readonly logs: readonly string[];
}

/** Emitted when a run fails and everything it did is discarded. */
export interface RollbackEvent {
  readonly process: string;
  readonly error: unknown;
  readonly version: number;
}

/** Emitted when a run's commit conflicts with a commit made since it started. */
export interface ConflictEvent {
  readonly process: string;
  readonly attempt: number;
  readonly startVersion: number;
  readonly currentVersion: number;
  /** A path written meanwhile that overlaps what the run touched (empty when `strictCas`). */
  readonly path: PathSegments;
  /** The back-off before the next attempt, or `undefined` when the run gives up. */
  readonly delayMs: number | undefined;
}

/** Emitted once per committed signal, after its commit. */
export interface SignalEvent {
  readonly topic: string;
  readonly payload: unknown;
  readonly version: number;
}

/**
 * Emitted for an audit check whose failures act: a warning (level C, or any level from
 * `min_threshold`) or the thrown `block` / `abort` / `stop`. Silent counts below `min_threshold`
 * and level-I failures are only logged (`engine.audit.logs()`).
 */
export interface AuditEvent {
  readonly process: string;
  readonly gate: AuditGate;
  /** `warn`, or the thrown `block` / `abort` / `stop`. */
  readonly action: AuditAction;
  readonly failures: readonly AuditFailure[];
}

/** The events an engine emits, by name. */
export interface EngineEvents {
  commit: CommitEvent;
  rollback: RollbackEvent;
  conflict: ConflictEvent;
  signal: SignalEvent;
  audit: AuditEvent;
}

type Listener<T> = (event: T) => void;

/** A small typed event emitter; a throwing listener never breaks the commit that fired it. */
export class EventHub {
  readonly #listeners = new Map<keyof EngineEvents, Set<Listener<never>>>();

  on<K extends keyof EngineEvents>(name: K, listener: Listener<EngineEvents[K]>): () => void {
    let set = this.#listeners.get(name);
    if (set === undefined) this.#listeners.set(name, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  has(name: keyof EngineEvents): boolean {
    return (this.#listeners.get(name)?.size ?? 0) > 0;
  }

  emit<K extends keyof EngineEvents>(name: K, event: EngineEvents[K]): void {
    const set = this.#listeners.get(name) as Set<Listener<EngineEvents[K]>> | undefined;
    if (set === undefined) return;
    for (const listener of set) {
      try {
        listener(event);
      } catch (error) {
        console.error(`theus: a '${name}' listener threw; the commit is unaffected.`, error);
      }
    }
  }
}
