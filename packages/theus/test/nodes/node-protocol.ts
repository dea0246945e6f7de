/**
 * The IPC protocol between the multi-process tests and their nodes (`node-child.ts`). The parent
 * sends {@link Command}s, each with an `id`; the child answers each with one {@link Reply} of the
 * same `id`, and while it runs operations it sends an {@link Ack} for each one acknowledged (after
 * its `execute` resolved, so the parent knows no more than what the engine promised).
 *
 * @packageDocumentation
 */
import type { NodeState, OpKind, OwnArgs, TransferArgs } from './node-model.js';

/** How a child is started: `node --import tsx node-child.ts <JSON of NodeOptions>`. */
export interface NodeOptions {
  /** The node's name (its own key under `domain.nodes`, and a prefix of its appended items). */
  readonly name: string;
  readonly url: string;
  readonly schema: string;
  /** The engine's `conflict.maxRetries` (its default when absent). */
  readonly maxRetries?: number;
}

/** One operation a node ran, with the arguments it gave it. */
export type Operation =
  | { readonly op: 'increment' }
  | ({ readonly op: 'transfer' } & TransferArgs)
  | { readonly op: 'append'; readonly item: string }
  | ({ readonly op: 'own' } & OwnArgs);

/** What the parent asks. */
export type Command =
  /**
   * Runs `count` operations from `writers` concurrent writers (each awaits one `execute` at a
   * time); operation `k` is of kind `kinds[k % kinds.length]`.
   */
  | { readonly type: 'run'; readonly id: number; readonly kinds: readonly OpKind[]; readonly count: number; readonly writers: number }
  /** Reports state, version and counters. */
  | { readonly type: 'status'; readonly id: number }
  /** Answers once `engine.version` reached `version` (polled), or fails after `timeoutMs`. */
  | { readonly type: 'wait'; readonly id: number; readonly version: number; readonly timeoutMs: number }
  /** Closes the engine, answers, then leaves the IPC channel: the child should exit by itself. */
  | { readonly type: 'close'; readonly id: number };

/** A run that failed, as the child saw its error. */
export interface Failure {
  readonly op: OpKind;
  readonly name: string;
  readonly code: string | undefined;
  readonly message: string;
}

/** The answer to one command. */
export type Reply =
  | { readonly type: 'ran'; readonly id: number; readonly acknowledged: number; readonly failures: readonly Failure[] }
  | { readonly type: 'status'; readonly id: number; readonly status: NodeStatus }
  | { readonly type: 'reached'; readonly id: number; readonly version: number }
  | { readonly type: 'closed'; readonly id: number }
  | { readonly type: 'error'; readonly id: number; readonly message: string };

/** What `status` reports. */
export interface NodeStatus {
  readonly version: number;
  readonly state: NodeState;
  /** `conflict` events the engine emitted since it opened. */
  readonly conflicts: number;
  /** Attempts of each process (a run re-run after a conflict counts once per attempt). */
  readonly attempts: Readonly<Record<OpKind, number>>;
}

/** An operation acknowledged to its writer. */
export interface Ack {
  readonly type: 'ack';
  /** The `run` command it belongs to. */
  readonly id: number;
  readonly operation: Operation;
}

/** What the child sends. */
export type Message =
  | { readonly type: 'ready'; readonly version: number }
  | Ack
  | Reply
  /** An error outside any command: the child exits with 1 after sending it. */
  | { readonly type: 'fatal'; readonly message: string };
