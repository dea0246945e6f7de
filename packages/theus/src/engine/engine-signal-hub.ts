import { SignalHub } from '../signals/index.js';

/**
 * The engine's hub (`engine.signals`): a {@link SignalHub} whose `latest` is the set of signals
 * latched by the current committed version, as the SPEC's transient SIGNAL zone says: a signal is
 * part of the version that set it and disappears with the next commit that does not set it again.
 * Direct `publish` calls reach subscribers but are part of no version, so they do not appear here.
 *
 * The hub itself therefore keeps no payload at all (its `retainedTopics` is always 0): `latest`
 * holds only the signals of one version, so publishing any number of distinct topics, directly or
 * through commits, leaves its memory flat.
 */
export class EngineSignalHub extends SignalHub {
  readonly #latched: () => Readonly<Record<string, unknown>>;

  /** @internal Built by the engine with a reader of its latched signals. */
  constructor(latched: () => Readonly<Record<string, unknown>>) {
    super({ latestTopics: 0 });
    this.#latched = latched;
  }

  /** The signals latched by the current version (topic → payload), frozen. */
  override get latest(): Readonly<Record<string, unknown>> {
    return this.#latched();
  }
}
