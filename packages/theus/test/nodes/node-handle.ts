/**
 * The parent's side of a node (`node-child.ts`): starts the child process, sends it commands and
 * matches the replies, keeps every operation it acknowledged, and stops, resumes or kills it.
 *
 * @packageDocumentation
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { TestRunner } from 'vitest';
import type { OpKind } from './node-model.js';
import type { Command, Message, NodeOptions, NodeStatus, Operation, Reply } from './node-protocol.js';

const CHILD = fileURLToPath(new URL('./node-child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
/** The tsconfig of the children when the tests run on `dist/` (the vitest project `built`): no `paths`. */
const BUILT_TSCONFIG = fileURLToPath(new URL('./tsconfig.built.json', import.meta.url));

/** How a child ended. */
export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

type Pending = { readonly resolve: (reply: Reply) => void; readonly reject: (error: Error) => void };
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** One running node. */
export class NodeProcess {
  /** Every operation the node acknowledged, in the order the acknowledgements arrived. */
  readonly acks: Operation[] = [];
  /** Resolves when the child exits (never rejects). */
  readonly exited: Promise<Exit>;
  /** The version the node opened at. */
  readonly openedAt: Promise<number>;
  readonly #child: ChildProcess;
  readonly #pending = new Map<number, Pending>();
  readonly #ackWaiters: { readonly count: number; readonly resolve: () => void }[] = [];
  #nextId = 1;
  #output = '';
  #exit: Exit | undefined;

  private constructor(
    readonly name: string,
    options: NodeOptions,
  ) {
    const built = TestRunner.getCurrentSuite().file.projectName === 'built';
    const env = { ...process.env, ...(built ? { TSX_TSCONFIG_PATH: BUILT_TSCONFIG } : {}) };
    this.#child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(options)], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.#child.stdout?.on('data', (chunk: Buffer) => (this.#output += chunk.toString()));
    this.#child.stderr?.on('data', (chunk: Buffer) => (this.#output += chunk.toString()));
    let ready!: (version: number) => void;
    let failed!: (error: Error) => void;
    this.openedAt = new Promise((resolve, reject) => {
      ready = resolve;
      failed = reject;
    });
    this.openedAt.catch(() => undefined);
    this.#child.on('message', (message: Message) => {
      switch (message.type) {
        case 'ready':
          ready(message.version);
          return;
        case 'ack':
          this.acks.push(message.operation);
          for (const waiter of this.#ackWaiters.filter((w) => this.acks.length >= w.count)) waiter.resolve();
          return;
        case 'fatal':
          this.#output += `\n[fatal] ${message.message}`;
          return;
        default: {
          const pending = this.#pending.get(message.id);
          this.#pending.delete(message.id);
          if (message.type === 'error') pending?.reject(new Error(`node ${name}: ${message.message}`));
          else pending?.resolve(message);
        }
      }
    });
    this.exited = new Promise((resolve) => {
      this.#child.on('exit', (code, signal) => {
        this.#exit = { code, signal };
        const error = new Error(`node ${name} exited (code ${String(code)}, signal ${String(signal)}). Its output:\n${this.#output}`);
        failed(error);
        for (const pending of this.#pending.values()) pending.reject(error);
        this.#pending.clear();
        resolve({ code, signal });
      });
    });
  }

  /** Starts a node and waits until its engine is open. */
  static async start(options: NodeOptions): Promise<NodeProcess> {
    const node = new NodeProcess(options.name, options);
    try {
      await node.openedAt;
    } catch (error) {
      node.kill();
      throw error;
    }
    return node;
  }

  /** Runs `count` operations from `writers` concurrent writers; see the `run` command. */
  async run(kinds: OpKind | readonly OpKind[], count: number, writers: number): Promise<Extract<Reply, { type: 'ran' }>> {
    const reply = await this.#ask({ type: 'run', kinds: typeof kinds === 'string' ? [kinds] : kinds, count, writers });
    return reply as Extract<Reply, { type: 'ran' }>;
  }

  /** The node's state, version and counters. */
  async status(): Promise<NodeStatus> {
    const reply = await this.#ask({ type: 'status' });
    return (reply as Extract<Reply, { type: 'status' }>).status;
  }

  /** Resolves once the node's version reached `version` (rejects after `timeoutMs`). */
  async reach(version: number, timeoutMs = 30_000): Promise<number> {
    const reply = await this.#ask({ type: 'wait', version, timeoutMs });
    return (reply as Extract<Reply, { type: 'reached' }>).version;
  }

  /** Closes the node's engine and waits for the child to exit by itself. */
  async close(): Promise<Exit> {
    await this.#ask({ type: 'close' });
    return this.exited;
  }

  /** Resolves once the node acknowledged `count` operations (in all). */
  acknowledged(count: number): Promise<void> {
    if (this.acks.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.#ackWaiters.push({ count, resolve }));
  }

  /** Sends `signal` to the child, unless it has exited. */
  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    if (this.#exit === undefined) this.#child.kill(signal);
  }

  /** What the child wrote on stdout and stderr. */
  get output(): string {
    return this.#output;
  }

  #ask(command: DistributiveOmit<Command, 'id'>): Promise<Reply> {
    if (this.#exit !== undefined) return Promise.reject(new Error(`node ${this.name} has exited. Its output:\n${this.#output}`));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#child.send({ ...command, id } satisfies Command);
    });
  }
}
