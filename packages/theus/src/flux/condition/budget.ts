/**
 * The work budget of one condition evaluation. Every operation whose cost grows with its operands
 * (building, copying, comparing or scanning lists, mappings and strings) charges its size here
 * *before* doing the work, so a 29-character condition such as `min([[0]*100000]*100000) == 0`
 * fails within milliseconds instead of running for hours.
 *
 * @packageDocumentation
 */
import { WorkflowError } from '../../errors/index.js';
import { shown } from '../../yaml/limits.js';
import type { ConditionScope } from './condition-scope.js';
import { ConditionFault } from './fault.js';

/** How many work units one evaluation may spend unless told otherwise (`conditionBudget`). */
export const DEFAULT_CONDITION_BUDGET = 1_000_000;

/** Something work can be charged to: an evaluation, or the small meter of constant folding. */
export interface Meter {
  /** Spends `units` for the operation at `offset`; throws {@link BudgetFault} once the budget is gone. */
  charge(units: number, offset: number): void;
}

/** The failure of an evaluation that ran out of budget. */
export class BudgetFault extends ConditionFault {
  /** The budget that was exceeded. */
  readonly budget: number;

  constructor(budget: number, offset: number) {
    super(
      `the condition needs more work than its budget of ${budget.toLocaleString('en-US')} units ` +
        '(list items, mapping entries and characters built, copied, compared or scanned): ' +
        'simplify the condition, or raise the conditionBudget option',
      offset,
    );
    this.name = 'BudgetFault';
    this.budget = budget;
  }
}

/** Throws the fault of an exhausted budget (kept out of `charge` so that `charge` stays tiny). */
function exhausted(budget: number, offset: number): never {
  throw new BudgetFault(budget, offset);
}

/**
 * A meter with a fixed number of units to spend. Plain fields, no private ones: one is created
 * per evaluation, on the hot path of every workflow condition.
 */
export class WorkMeter implements Meter {
  /** The units this meter started with. */
  readonly budget: number;
  /** The units still available. */
  left: number;

  constructor(budget: number) {
    this.budget = budget;
    this.left = budget;
  }

  charge(units: number, offset: number): void {
    if (!((this.left -= units) >= 0)) exhausted(this.budget, offset);
  }

  /** Units spent so far. */
  get spent(): number {
    return this.budget - this.left;
  }
}

/** One evaluation: the names it reads and the budget it spends (compiled closures receive it). */
export class Evaluation implements Meter {
  /** The names the condition can see. */
  readonly scope: ConditionScope;
  /** The units this evaluation started with. */
  readonly budget: number;
  /** The units still available. */
  left: number;
  /** Whether the scope was built for this evaluation alone (see `ConditionEvaluationOptions.freshScope`). */
  readonly freshScope: boolean;

  constructor(scope: ConditionScope, budget: number, freshScope: boolean) {
    this.scope = scope;
    this.budget = budget;
    this.left = budget;
    this.freshScope = freshScope;
  }

  charge(units: number, offset: number): void {
    if (!((this.left -= units) >= 0)) exhausted(this.budget, offset);
  }
}

/**
 * Checks a budget given by a caller: a positive integer, or `Infinity` to switch the budget off.
 * Returns the default for `undefined`; anything else throws `WorkflowError` (`WORKFLOW_INVALID`).
 */
export function checkBudget(budget: unknown, option = 'conditionBudget'): number {
  if (budget === undefined) return DEFAULT_CONDITION_BUDGET;
  if (budget === Infinity || (typeof budget === 'number' && Number.isSafeInteger(budget) && budget > 0)) return budget;
  throw new WorkflowError(
    'WORKFLOW_INVALID',
    `The ${option} option must be a positive integer (or Infinity to switch the budget off), got ${shown(budget)}.`,
    { details: { option, value: shown(budget) } },
  );
}
