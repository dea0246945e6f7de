import { readFileSync } from 'node:fs';

/** One problem a loader reports for an invalid fixture: its line and column, and a part of its message. */
export interface ExpectedIssue {
  readonly line: number;
  readonly column: number;
  readonly text: string;
}

/** The loader options a fixture is loaded with (known process names, names in scope). */
export interface ExpectedOptions {
  readonly processes?: readonly string[];
  readonly scopeNames?: readonly string[];
}

/** What an invalid fixture's `<case>.expected.json` says the loader reports. */
export interface Expected {
  readonly options: ExpectedOptions;
  readonly issues: readonly ExpectedIssue[];
}

type FluxStyle = { options?: ExpectedOptions; issues: { at: string; includes: string }[] };
type AuditStyle = { line: number; column: number; contains: string }[];

/**
 * Reads an expected file in either fixture style: `{ options?, issues: [{ at: 'line:column', includes }] }`
 * (fixtures/flux, fixtures/fsm) or `[{ line, column, contains }]` (fixtures/audit).
 */
export function readExpected(path: string): Expected {
  const json = JSON.parse(readFileSync(path, 'utf8')) as FluxStyle | AuditStyle;
  if (Array.isArray(json)) return { options: {}, issues: json.map(({ line, column, contains }) => ({ line, column, text: contains })) };
  return {
    options: json.options ?? {},
    issues: json.issues.map(({ at, includes }) => {
      const [line = NaN, column = NaN] = at.split(':').map(Number);
      return { line, column, text: includes };
    }),
  };
}
