import type { EventHub } from '../engine/events.js';
import { invertPatches } from './inverse-patches.js';
import type { Patch } from './patches.js';
import type { OutboxEnvelope } from '../store/store.js';
import type { Snapshot } from './snapshot.js';

/** The latched signals of every version that latched none. */
const NO_SIGNALS: Readonly<Record<string, unknown>> = Object.freeze(Object.create(null) as Record<string, unknown>);

/** One committed version waiting to be published. */
export interface Publication {
  /** The version as installed: its number, root and latched signals. */
  readonly snapshot: Snapshot;
  readonly process: string;
  /** Every patch of the version (signal clears included), frozen. */
  readonly patches: readonly Patch[];
  /** The root the version was installed on (its inverse patches lead back to it). */
  readonly before: object;
  /** The version's outbox messages (frozen). */
  readonly outbox: readonly OutboxEnvelope[];
  /** The run's log lines. */
  readonly logs: readonly string[];
}

/**
 * Publishes committed versions to `commit` and `signal` listeners: each version exactly once, in
 * version order, with its own signals and version number. A listener may commit again (run a
 * process, edit): that version is queued and published after the current one is done, never
 * interleaved with it, so nothing a listener does can make a version's signals go missing or
 * appear twice. Everything handed out is frozen.
 */
export class CommitPublisher {
  readonly #queue: Publication[] = [];
  #draining = false;
  #latched: { readonly snapshot: Snapshot; readonly signals: Readonly<Record<string, unknown>> } | undefined;

  constructor(readonly events: EventHub) {}

  /** True when `snapshot` has someone to be published to (most commits without listeners have none). */
  wanted(snapshot: Snapshot): boolean {
    const events = this.events;
    return events.has('commit') || (snapshot.signals.size > 0 && events.has('signal'));
  }

  /** Publishes `publication`, or queues it when a listener of an earlier version is running. */
  publish(publication: Publication): void {
    const queue = this.#queue;
    queue.push(publication);
    if (this.#draining) return;
    this.#draining = true;
    try {
      for (let i = 0; i < queue.length; i++) this.#emit(queue[i] as Publication);
    } finally {
      queue.length = 0;
      this.#draining = false;
    }
  }

  /** The signals latched by `snapshot` as a frozen record (topic → payload), built once per version. */
  latched(snapshot: Snapshot): Readonly<Record<string, unknown>> {
    if (this.#latched?.snapshot === snapshot) return this.#latched.signals;
    if (snapshot.signals.size === 0) return NO_SIGNALS;
    const signals = Object.create(null) as Record<string, unknown>;
    for (const [topic, { payload }] of snapshot.signals) signals[topic] = payload;
    this.#latched = { snapshot, signals: Object.freeze(signals) };
    return this.#latched.signals;
  }

  #emit(publication: Publication): void {
    const { snapshot } = publication;
    const version = snapshot.version;
    const events = this.events;
    if (events.has('commit')) {
      let inverse: readonly Patch[] | undefined;
      events.emit(
        'commit',
        Object.freeze({
          version,
          process: publication.process,
          patches: publication.patches,
          // Built on first read: most listeners never look at them.
          get inversePatches(): readonly Patch[] {
            return (inverse ??= invertPatches(publication.before, publication.patches));
          },
          signals: this.latched(snapshot),
          outbox: publication.outbox,
          logs: Object.isFrozen(publication.logs) ? publication.logs : Object.freeze(publication.logs),
        }),
      );
    }
    if (snapshot.signals.size > 0 && events.has('signal')) {
      for (const [topic, { payload }] of snapshot.signals) events.emit('signal', Object.freeze({ topic, payload, version }));
    }
  }
}
