import type { SourceIssue, SourcePosition } from '../yaml/source-issue.js';

/** One action of a state's entry chain: run a process, or run a workflow file. */
export type EntryAction = { readonly kind: 'process'; readonly process: string } | { readonly kind: 'workflow'; readonly file: string };

/** One state of a machine: its entry chain and its transitions (event → target state). */
export interface MachineStateDefinition {
  readonly name: string;
  /** Run in order when the state is entered by a transition. */
  readonly entry: readonly EntryAction[];
  /** Event name → target state name. */
  readonly events: Readonly<Record<string, string>>;
  /** Where the state is declared. */
  readonly pos: SourcePosition;
}

/** A validated, deeply frozen state machine definition. */
export interface MachineDefinition {
  /** The file the definition came from (`<inline>` for text, `<object>` for an object). */
  readonly file: string;
  /** The state the machine starts in. */
  readonly initial: string;
  /** Every state by name (own properties only). */
  readonly states: Readonly<Record<string, MachineStateDefinition>>;
  /** Every event name any state handles, sorted. */
  readonly events: readonly string[];
  /** Problems that do not stop loading. */
  readonly warnings: readonly SourceIssue[];
}

/** Delivered to the state entered after its entry chain finished without error. */
export const EVT_CHAIN_DONE = 'EVT_CHAIN_DONE';
/** Delivered to the state entered after one of its entry actions failed. */
export const EVT_CHAIN_FAIL = 'EVT_CHAIN_FAIL';
