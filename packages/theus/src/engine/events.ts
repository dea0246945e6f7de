import type { AuditAction, AuditFailure, AuditGate } from '../audit/index.js';
import type { PathSegments } from '../context/paths.js';
import type { Patch } from '../transaction/patches.js';
import type { OutboxEnvelope } from '../store/store.js';

/**
 * Emitted after every successful commit, once per version and in version order (a commit made by
 * a listener is published after the current one). The event and everything in it are frozen: the
 * patch objects are the ones the conflict check and the store keep.
 */
export interface CommitEvent {
  readonly version: number;
  /** The process name, or `engine.edit` / `engine.compareAndSwap`. */
  readonly process: string;
  readonly patches: readonly Patch[];
  readonly inversePatches: readonly Patch[];
  readonly signals: Readonly<Record<string, unknown>>;
  /** The messages the commit added to the outbox, with their ids (delivered after this event). */
  readonly outbox: readonly OutboxEnvelope[];
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
  /** The back-off before the next attempt (0 when it queues for its turn), or `undefined` when the run gives up. */
  readonly delayMs: number | undefined;
  /** True when the run queues for its turn on the paths it touched instead of backing off. */
  readonly queued: boolean;
  /** The process holding a turn on the path, when that turn (not a commit) stopped the run. */
  readonly heldBy: string | undefined;
}

/** Emitted once per committed signal, after its commit, with the version that set it. */
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

/**
 * Emitted once for a problem that does not stop the run but is likely a mistake. Today:
 * `AUDIT_FIELD_ABSENT`, an audit rule's field that was absent at run time (its rules were skipped)
 * and that nothing marks as optional; raised once per (process, gate, field) and engine. Without a
 * `warning` listener the engine writes it once with `console.warn`.
 */
export interface WarningEvent {
  readonly code: 'AUDIT_FIELD_ABSENT';
  /** What happened, where the field is written, and how to fix it. */
  readonly message: string;
  readonly process: string;
  readonly gate: AuditGate;
  readonly field: string;
  /** Where the field is written in the recipe: `file:line:column` (or `file:key.path`). */
  readonly where: string;
}

/** The events an engine emits, by name. */
export interface EngineEvents {
  commit: CommitEvent;
  rollback: RollbackEvent;
  conflict: ConflictEvent;
  signal: SignalEvent;
  audit: AuditEvent;
  warning: WarningEvent;
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
