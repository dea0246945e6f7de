import { ContractViolationError, TheusError } from '../errors/index.js';
import type { OutboxEntry, OutboxEnvelope, OutboxLedger } from '../store/store.js';
import { envelopeOf, snapshot, type OutboxMessage } from './outbox-message.js';
import { retryDelay, type ResolvedOutboxOptions } from './outbox-options.js';
import { runHandler, type OutboxHandler } from './run-handler.js';
import { TopicQueue } from './topic-queue.js';

/** The longest delay `setTimeout` honours; a longer wait is re-armed when the timer fires. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Delivers outbox messages in the background: at least once, in commit order per topic (a topic's
 * next message waits until the one before it was delivered or went dead), with at most
 * `concurrency` handlers in flight across topics, retries after exponential back-off, and a dead
 * letter after `maxAttempts`.
 *
 * The dispatcher keeps its own record of the undelivered messages and tells the ledger what
 * happened to each attempt. A ledger call that fails is passed to `report` and the memory record
 * stays as if it had succeeded: a message whose `delivered` was not recorded is delivered again
 * after a restart (at least once), one whose `failed` was not recorded keeps its previous attempt
 * count in the store.
 */
export class OutboxDispatcher {
  readonly #ledger: OutboxLedger;
  readonly #options: ResolvedOutboxOptions;
  readonly #reportTo: (problem: unknown) => void;
  readonly #topics = new Map<string, TopicQueue>();
  /** Pending messages by id (those in flight included). */
  readonly #pending = new Map<string, OutboxMessage>();
  readonly #dead = new Map<string, OutboxMessage>();
  /** Topics whose head is due and may start as soon as a slot is free, first come first served. */
  readonly #ready = new Set<TopicQueue>();
  /** Attempts and revivals in flight (ledger calls included): what `close()` waits for. */
  readonly #work = new Set<Promise<unknown>>();
  readonly #revivals = new Map<string, Promise<void>>();
  #inFlight = 0;
  #seq = 0;
  #pumpQueued = false;
  #closing: Promise<void> | undefined;

  constructor(ledger: OutboxLedger, options: ResolvedOutboxOptions, report: (problem: unknown) => void) {
    this.#ledger = ledger;
    this.#options = options;
    this.#reportTo = report;
  }

  /** Takes the ledger's undelivered messages at open: pending ones are delivered, dead ones stay dead letters. */
  load(entries: readonly OutboxEntry[]): void {
    if (this.#closing !== undefined) return;
    const touched = new Set<TopicQueue>();
    for (const entry of entries) {
      if (this.#pending.has(entry.id) || this.#dead.has(entry.id)) continue;
      const message: OutboxMessage = {
        id: entry.id,
        topic: entry.topic,
        payload: entry.payload,
        version: entry.version,
        seq: this.#seq++,
        attempts: entry.attempts,
        status: entry.status,
        lastError: entry.lastError,
        nextAttemptAt: entry.status === 'dead' ? 0 : entry.nextAttemptAt,
      };
      if (message.status === 'dead') this.#dead.set(message.id, message);
      else touched.add(this.#add(message));
    }
    for (const queue of touched) this.#wake(queue);
  }

  /** Queues the messages of durable commits, given in commit order. Ignored after {@link close}. */
  enqueue(messages: readonly OutboxEnvelope[]): void {
    if (this.#closing !== undefined) return;
    const touched = new Set<TopicQueue>();
    for (const envelope of messages) {
      if (this.#pending.has(envelope.id) || this.#dead.has(envelope.id)) continue;
      const { id, topic, payload, version, attempts } = envelope;
      const message: OutboxMessage = {
        id,
        topic,
        payload,
        version,
        seq: this.#seq++,
        attempts,
        status: 'pending',
        lastError: undefined,
        nextAttemptAt: 0,
      };
      touched.add(this.#add(message));
    }
    for (const queue of touched) this.#wake(queue);
  }

  /**
   * Registers the handler of `topic` and returns a function that removes it (idempotent; a delivery
   * in flight completes). Messages of a topic without a handler wait for one.
   *
   * @throws ContractViolationError `CONTRACT_BAD_ARGS` for a topic that is not a non-empty string or a handler that is not a function.
   * @throws TheusError `OUTBOX_HANDLER_EXISTS` when the topic already has a handler; `ENGINE_CLOSED` after {@link close}.
   */
  on(topic: string, handler: OutboxHandler): () => void {
    if (this.#closing !== undefined) throw closed('on');
    if (typeof topic !== 'string' || topic.length === 0) {
      throw badArgs('on', `takes the topic as a non-empty string, got ${describe(topic)}`, 'topic');
    }
    if (typeof handler !== 'function') {
      throw badArgs('on', `takes the handler of topic '${topic}' as a function, got ${describe(handler)}`, 'handler');
    }
    const queue = this.#queueOf(topic);
    if (queue.handler !== undefined) {
      throw new TheusError(
        'OUTBOX_HANDLER_EXISTS',
        `engine.outbox.on(): topic '${topic}' already has a handler (one per topic, so that its messages are delivered in order). Call the function the first on() returned to remove it, or handle both concerns in one handler.`,
        { details: { topic } },
      );
    }
    queue.handler = handler;
    this.#wake(queue);
    let registered = true;
    return () => {
      if (!registered) return;
      registered = false;
      if (queue.handler !== handler) return;
      queue.handler = undefined;
      this.#wake(queue);
    };
  }

  /** The pending messages (those being delivered included), in commit order: a frozen snapshot. */
  pending(): readonly OutboxEntry[] {
    return snapshot(this.#pending.values());
  }

  /** The dead letters, in commit order: a frozen snapshot. */
  deadLetters(): readonly OutboxEntry[] {
    return snapshot(this.#dead.values());
  }

  /**
   * Makes the dead letter `id` pending again with no attempts, in its commit-order place among its
   * topic's waiting messages (a delivery in flight completes first). Calls for an id whose revival
   * is under way share it.
   *
   * @throws TheusError `OUTBOX_UNKNOWN_MESSAGE` when `id` is not a dead letter (or the store no longer
   *   holds it as one); `ENGINE_CLOSED` after {@link close}; the ledger's error when it fails (the
   *   message then stays a dead letter).
   */
  retry(id: string): Promise<void> {
    if (this.#closing !== undefined) return Promise.reject(closed('retry'));
    if (typeof id !== 'string') return Promise.reject(badArgs('retry', `takes a message id as a string, got ${describe(id)}`, 'id'));
    const running = this.#revivals.get(id);
    if (running !== undefined) return running;
    const message = this.#dead.get(id);
    if (message === undefined) return Promise.reject(unknownMessage(id, 'is not a dead letter'));
    const revival = this.#revive(message).finally(() => this.#revivals.delete(id));
    this.#revivals.set(id, revival);
    this.#track(revival);
    return revival;
  }

  /**
   * Stops starting deliveries (back-off timers are cleared), waits for the attempts in flight (each
   * bounded by `handlerTimeoutMs`, then its ledger call) and revivals under way, then resolves.
   * Undelivered messages stay in the ledger for the next open.
   */
  close(): Promise<void> {
    if (this.#closing !== undefined) return this.#closing;
    for (const queue of this.#topics.values()) queue.clearTimer();
    this.#ready.clear();
    this.#closing = this.#drain();
    return this.#closing;
  }

  async #drain(): Promise<void> {
    while (this.#work.size > 0) await Promise.allSettled([...this.#work]);
  }

  /** Records a pending message and queues it in its topic. */
  #add(message: OutboxMessage): TopicQueue {
    this.#pending.set(message.id, message);
    const queue = this.#queueOf(message.topic);
    queue.insert(message);
    return queue;
  }

  #queueOf(topic: string): TopicQueue {
    let queue = this.#topics.get(topic);
    if (queue === undefined) {
      queue = new TopicQueue(topic);
      this.#topics.set(topic, queue);
    }
    return queue;
  }

  /**
   * Brings a topic's scheduling up to date: ready when its head is due (and it has a handler and
   * nothing in flight), a timer when the head waits for its back-off, nothing otherwise. A topic
   * that holds nothing any more is forgotten.
   */
  #wake(queue: TopicQueue): void {
    const head = queue.head;
    if (this.#closing !== undefined || queue.handler === undefined || queue.inFlight !== undefined || head === undefined) {
      queue.clearTimer();
      this.#ready.delete(queue);
      if (queue.idle && this.#topics.get(queue.topic) === queue) this.#topics.delete(queue.topic);
      return;
    }
    const wait = head.nextAttemptAt - Date.now();
    if (wait <= 0) {
      queue.clearTimer();
      this.#ready.add(queue);
      this.#schedulePump();
      return;
    }
    this.#ready.delete(queue);
    if (queue.timer !== undefined && queue.timerAt === head.nextAttemptAt) return;
    queue.clearTimer();
    queue.timerAt = head.nextAttemptAt;
    queue.timer = setTimeout(
      () => {
        queue.timer = undefined;
        this.#wake(queue);
      },
      Math.min(wait, MAX_TIMER_MS),
    );
  }

  /** Starts ready topics in a later microtask, so that handlers never run inside `enqueue`, `on` or `retry`. */
  #schedulePump(): void {
    if (this.#pumpQueued) return;
    this.#pumpQueued = true;
    void Promise.resolve().then(() => {
      this.#pumpQueued = false;
      this.#pump();
    });
  }

  #pump(): void {
    for (const queue of this.#ready) {
      if (this.#closing !== undefined || this.#inFlight >= this.#options.concurrency) return;
      this.#ready.delete(queue);
      const handler = queue.handler;
      const head = queue.head;
      if (handler === undefined || head === undefined || queue.inFlight !== undefined || head.nextAttemptAt > Date.now()) {
        this.#wake(queue);
        continue;
      }
      this.#start(queue, handler);
    }
  }

  #start(queue: TopicQueue, handler: OutboxHandler): void {
    const message = queue.take() as OutboxMessage;
    queue.inFlight = message;
    this.#inFlight++;
    const attempt = this.#attempt(queue, message, handler)
      .catch((error: unknown) => {
        this.#report(error);
      })
      .finally(() => {
        queue.inFlight = undefined;
        this.#inFlight--;
        this.#wake(queue);
        if (this.#ready.size > 0) this.#schedulePump();
      });
    this.#track(attempt);
  }

  /** One attempt: the handler, then its outcome in memory and in the ledger. */
  async #attempt(queue: TopicQueue, message: OutboxMessage, handler: OutboxHandler): Promise<void> {
    const { id } = message;
    // A store shared by several nodes: one node at a time holds a message; another holds this one, or delivered it.
    if (this.#ledger.claim !== undefined) {
      let claimed: boolean;
      try {
        claimed = await this.#ledger.claim(id);
      } catch (problem) {
        // The store could not be asked (connection lost): try again later, as after a failed attempt.
        message.nextAttemptAt = Date.now() + retryDelay(this.#options, message.attempts + 1);
        queue.insert(message);
        throw problem;
      }
      if (!claimed) {
        this.#pending.delete(id);
        return;
      }
    }
    const error = await runHandler(handler, envelopeOf(message), this.#options.handlerTimeoutMs);
    if (error === undefined) {
      this.#pending.delete(id);
      await this.#record(() => this.#ledger.delivered(id));
      return;
    }
    const attempts = message.attempts + 1;
    const dead = attempts >= this.#options.maxAttempts;
    message.attempts = attempts;
    message.lastError = error;
    if (dead) {
      message.status = 'dead';
      message.nextAttemptAt = 0;
      this.#pending.delete(id);
      this.#dead.set(id, message);
    } else {
      message.nextAttemptAt = Date.now() + retryDelay(this.#options, attempts);
      queue.insert(message);
    }
    const failure = Object.freeze({ attempts, error, dead, nextAttemptAt: message.nextAttemptAt });
    await this.#record(() => this.#ledger.failed(id, failure));
  }

  async #revive(message: OutboxMessage): Promise<void> {
    const revived = await this.#ledger.revive(message.id);
    this.#dead.delete(message.id);
    if (!revived) {
      throw unknownMessage(message.id, 'is no longer a dead letter in the store (another node may have retried it)');
    }
    message.status = 'pending';
    message.attempts = 0;
    message.nextAttemptAt = 0;
    this.#wake(this.#add(message));
  }

  /** Calls the ledger; a failure is reported, never thrown (the memory record is already updated). */
  async #record(call: () => void | Promise<void>): Promise<void> {
    try {
      await call();
    } catch (error) {
      this.#report(error);
    }
  }

  #report(problem: unknown): void {
    try {
      this.#reportTo(problem);
    } catch {
      // The reporter is the last resort: a failure there has nowhere left to go.
    }
  }

  #track(work: Promise<unknown>): void {
    const forget = (): void => {
      this.#work.delete(settled);
    };
    const settled: Promise<void> = work.then(forget, forget);
    this.#work.add(settled);
  }
}

function closed(method: string): TheusError {
  return new TheusError(
    'ENGINE_CLOSED',
    `engine.outbox.${method}() was called after engine.close(): the outbox stopped with the engine. Open a new engine on the same store; its undelivered messages are delivered there.`,
    { details: { method: `engine.outbox.${method}` } },
  );
}

function badArgs(method: string, problem: string, argument: string): ContractViolationError {
  return new ContractViolationError('CONTRACT_BAD_ARGS', `engine.outbox.${method}() ${problem}.`, {
    details: { call: `engine.outbox.${method}()`, argument },
  });
}

function unknownMessage(id: string, why: string): TheusError {
  return new TheusError(
    'OUTBOX_UNKNOWN_MESSAGE',
    `engine.outbox.retry(): message '${id}' ${why}. Only dead letters can be retried: list them with engine.outbox.deadLetters().`,
    { details: { id } },
  );
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : typeof value;
}
