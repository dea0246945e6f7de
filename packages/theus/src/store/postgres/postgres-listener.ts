import type pg from 'pg';
import { createClient } from './postgres-connection.js';
import type { ResolvedPostgresOptions } from './postgres-options.js';
import { quoted } from './postgres-schema.js';

/** The first delay before reconnecting a lost listening connection; it doubles up to {@link MAX_DELAY_MS}. */
const FIRST_DELAY_MS = 100;
const MAX_DELAY_MS = 5_000;

/**
 * The connection that `LISTEN`s on the store's channel (the schema's name, which `commit_group`
 * notifies with the new head). Each notification calls the watchers: "other nodes may have
 * committed, read the log". A lost connection is made again, with a growing, jittered delay,
 * for as long as the store is open; once it is back the watchers are called too (notifications
 * sent meanwhile were missed). A notification that arrives before any watcher is registered is
 * kept for the first one.
 */
export class LogListener {
  readonly #options: ResolvedPostgresOptions;
  readonly #watchers: (() => void)[] = [];
  #client: pg.Client | undefined;
  #missed = false;
  #closed = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #delay = FIRST_DELAY_MS;

  constructor(options: ResolvedPostgresOptions) {
    this.#options = options;
  }

  /**
   * Connects and starts listening.
   *
   * @throws the driver's error when it cannot (the connection is closed again).
   */
  async start(): Promise<void> {
    this.#client = await this.#connect();
  }

  /**
   * The server process of the listening connection: it lives exactly as long as this node's
   * connection (a killed node's ends with it), so other nodes use it to tell the node is alive.
   */
  get pid(): number | undefined {
    return (this.#client as (pg.Client & { processID?: number }) | undefined)?.processID;
  }

  /** Calls `watcher` on every notification and reconnect (at once when one came before it). */
  watch(watcher: () => void): void {
    this.#watchers.push(watcher);
    if (this.#missed) {
      this.#missed = false;
      queueMicrotask(() => {
        call(watcher);
      });
    }
  }

  /** Stops listening and closes the connection (idempotent). */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => undefined);
  }

  async #connect(): Promise<pg.Client> {
    const client = createClient(this.#options);
    const channel = this.#options.schema;
    let lost = false;
    const onLost = (): void => {
      lost = true;
      this.#lost(client);
    };
    client.on('error', onLost);
    client.on('end', onLost);
    client.on('notification', (message) => {
      if (message.channel === channel) this.#notify();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${quoted(channel)}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    if (lost) throw new Error('the listening connection closed as it started');
    return client;
  }

  #lost(client: pg.Client): void {
    if (this.#closed || client !== this.#client) return;
    this.#client = undefined;
    void client.end().catch(() => undefined);
    this.#retry();
  }

  #retry(): void {
    const delay = this.#delay * (0.5 + Math.random() / 2);
    this.#delay = Math.min(this.#delay * 2, MAX_DELAY_MS);
    this.#timer = setTimeout(() => void this.#reconnect(), delay);
    this.#timer.unref();
  }

  async #reconnect(): Promise<void> {
    if (this.#closed) return;
    let client: pg.Client;
    try {
      client = await this.#connect();
    } catch {
      if (!this.#closed) this.#retry();
      return;
    }
    if (this.#closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.#client = client;
    this.#delay = FIRST_DELAY_MS;
    this.#notify();
  }

  #notify(): void {
    if (this.#watchers.length === 0) {
      this.#missed = true;
      return;
    }
    for (const watcher of this.#watchers) call(watcher);
  }
}

/** Calls a watcher; what it throws is thrown again outside the driver's event handler (an uncaught error, as from a timer). */
function call(watcher: () => void): void {
  try {
    watcher();
  } catch (error) {
    queueMicrotask(() => {
      throw error;
    });
  }
}
