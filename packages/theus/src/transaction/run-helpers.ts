import type { CompiledContract, ProcessHelpers } from '../contract/process.js';
import type { DraftSession } from './draft-session.js';
import type { RunEffects } from './run-effects.js';
import { violation } from './violations.js';
import { assertOutboxRoom, assertTopic, logLine, outboxPayload, signalPath } from './topics.js';

/**
 * The helpers of one run (`ctx.local`, `ctx.outbox`, `ctx.log`, `ctx.signal`). The functions are
 * arrow functions so that `const { log } = ctx` keeps working; all of them refuse to act after the run.
 */
export class RunHelpers implements ProcessHelpers {
  // Created on first use: most runs touch none of the helpers, and a run should allocate little.
  #local: Record<string, unknown> | undefined;
  #outbox: ProcessHelpers['outbox'] | undefined;
  #log: ((message: string) => void) | undefined;
  #signal: ((topic: string, payload?: unknown) => void) | undefined;

  constructor(
    private readonly session: DraftSession,
    private readonly contract: CompiledContract,
    private readonly effects: RunEffects,
  ) {}

  /** Per-run scratch space, discarded after the run. */
  get local(): Record<string, unknown> {
    return (this.#local ??= {});
  }

  /** Messages enqueued in the same commit as the state change. */
  get outbox(): ProcessHelpers['outbox'] {
    return (this.#outbox ??= Object.freeze({
      add: (topic: string, payload?: unknown): void => {
        this.#assertEffect('outbox');
        this.#assertTopic('ctx.outbox.add', topic);
        assertOutboxRoom(this.session.who, this.session.process, this.effects.outbox.length);
        this.effects.outbox.push({ topic, payload: outboxPayload(this.session.who, topic, payload) });
      },
    }));
  }

  /** Appends a line to the META log when the run commits. */
  get log(): (message: string) => void {
    return (this.#log ??= (message: string): void => {
      this.session.assertLive(['log']);
      this.effects.logs.push(logLine(this.session.who, this.session.process, this.effects.logs.length, message));
    });
  }

  /** Emits a signal on commit. */
  get signal(): (topic: string, payload?: unknown) => void {
    return (this.#signal ??= (topic: string, payload: unknown = true): void => {
      const session = this.session;
      this.#assertEffect('signal');
      if (!this.contract.emitsSignals && session.kind === 'process') {
        throw violation(
          'CONTRACT_ILLEGAL_WRITE',
          session,
          ['signal', String(topic)],
          'may not emit the signal',
          "declare 'signal' (or a 'sig_'/'cmd_' path) among the outputs",
        );
      }
      this.#assertTopic('ctx.signal', topic);
      session.writeAt(signalPath(topic), payload);
    });
  }

  #assertEffect(what: string): void {
    this.session.assertLive([what]);
    if (this.session.pure) throw violation('CONTRACT_PURE_WRITE', this.session, [what], 'is pure and cannot use');
  }

  #assertTopic(call: string, topic: unknown): asserts topic is string {
    assertTopic(this.session.who, this.session.process, call, topic);
  }
}
