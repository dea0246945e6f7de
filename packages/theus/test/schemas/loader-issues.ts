import { loadAuditRecipe, loadMachine, loadWorkflow, TheusError } from 'theus';
import type { ExpectedOptions } from './expected-issues.js';
import type { FormatKind } from './shipped-schemas.js';

/** One problem a loader reported. */
export interface LoaderIssue {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/** The code each loader refuses a definition with. */
const INVALID_CODES: Readonly<Record<FormatKind, string>> = {
  workflow: 'WORKFLOW_INVALID',
  audit: 'AUDIT_RECIPE_INVALID',
  fsm: 'FSM_INVALID',
};

/**
 * Loads YAML text with the loader of its format and returns every problem it reports (none when it
 * loads). Any other error propagates.
 */
export function loaderIssues(kind: FormatKind, text: string, options: ExpectedOptions = {}): readonly LoaderIssue[] {
  const file = `fixture.${kind}.yaml`;
  const processes = options.processes === undefined ? {} : { processes: new Set(options.processes) };
  const scopeNames = options.scopeNames === undefined ? {} : { scopeNames: new Set(options.scopeNames) };
  try {
    if (kind === 'workflow') loadWorkflow(text, { file, ...processes, ...scopeNames });
    else if (kind === 'audit') loadAuditRecipe(text, { file });
    else loadMachine(text, { file, ...processes });
    return [];
  } catch (error) {
    if (!(error instanceof TheusError) || error.code !== INVALID_CODES[kind]) throw error;
    return error.details['issues'] as LoaderIssue[];
  }
}
