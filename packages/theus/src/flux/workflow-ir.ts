import type { SourceIssue, SourcePosition } from '../yaml/source-issue.js';

/**
 * A condition of an `if` or `while` step as it appears in the IR: its source text, the free
 * names it reads and where it starts in the file. The compiled form lives beside the IR (see
 * `compiledConditionOf`) so that the IR stays plain, frozen, JSON-serialisable data.
 */
export interface WorkflowCondition {
  /** The expression text, exactly as written in the workflow. */
  readonly source: string;
  /** The free names the expression reads (`domain`, `signal`, ...), sorted. */
  readonly names: readonly string[];
  /** Where the condition scalar starts. */
  readonly pos: SourcePosition;
}

/** Runs one registered process, optionally with arguments (`{ process, args }` or a bare name). */
export interface ProcessStep {
  readonly kind: 'process';
  readonly process: string;
  readonly args?: Readonly<Record<string, unknown>>;
  readonly pos: SourcePosition;
}

/** `flux: if`: evaluates the condition once, then runs `then` or `else`. */
export interface IfStep {
  readonly kind: 'if';
  readonly condition: WorkflowCondition;
  readonly then: readonly WorkflowStep[];
  readonly else: readonly WorkflowStep[];
  readonly pos: SourcePosition;
}

/** `flux: while`: runs `do` while the condition is truthy, re-evaluated after every iteration. */
export interface WhileStep {
  readonly kind: 'while';
  readonly condition: WorkflowCondition;
  readonly do: readonly WorkflowStep[];
  readonly pos: SourcePosition;
}

/** `flux: run`: a nested block, for grouping only. */
export interface RunStep {
  readonly kind: 'run';
  readonly steps: readonly WorkflowStep[];
  readonly pos: SourcePosition;
}

/** `flux: parallel` (extension): every branch runs concurrently; the step ends when all settle. */
export interface ParallelStep {
  readonly kind: 'parallel';
  readonly branches: readonly (readonly WorkflowStep[])[];
  readonly pos: SourcePosition;
}

/** One step of a workflow's intermediate representation. */
export type WorkflowStep = ProcessStep | IfStep | WhileStep | RunStep | ParallelStep;

/**
 * A loaded, validated workflow: deeply frozen, plain data. Produced by `loadWorkflow`, run by
 * `runWorkflow`, turned back into workflow text by `serializeWorkflow`.
 */
export interface Workflow {
  /** The file the workflow came from (`<inline>` for text). */
  readonly file: string;
  /** The optional `name:` of the file. */
  readonly name?: string;
  /** The top-level steps. */
  readonly steps: readonly WorkflowStep[];
  /** Every process name the workflow can run, sorted and unique. */
  readonly processes: readonly string[];
  /** Problems that do not stop loading (empty blocks, keys the original ignored). */
  readonly warnings: readonly SourceIssue[];
}
