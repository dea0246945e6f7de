import type { StandardSchemaV1 } from '@standard-schema/spec';

/** Formats the first few Standard Schema issues as `path: message` lines. */
export function formatIssues(issues: readonly StandardSchemaV1.Issue[], limit = 5): string[] {
  return issues.slice(0, limit).map((issue) => {
    const path = (issue.path ?? []).map((p) => (typeof p === 'object' ? String(p.key) : String(p))).join('.');
    return `${path === '' ? '(root)' : path}: ${issue.message}`;
  });
}
