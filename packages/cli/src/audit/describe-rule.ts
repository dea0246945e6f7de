import type { AuditRule, RuleCheck } from 'theus/audit';

/** A check as a reader writes it: `min 0`, `in [EUR, USD]`, `regex ^[A-Z]{3}$`. */
function describeCheck(check: RuleCheck): string {
  switch (check.kind) {
    case 'min':
    case 'max':
    case 'min_len':
    case 'max_len':
      return `${check.kind} ${check.bound}`;
    case 'eq':
    case 'neq':
      return `${check.kind} ${JSON.stringify(check.value)}`;
    case 'regex':
      return `regex ${check.pattern}`;
    case 'in':
      return `in ${JSON.stringify(check.values)}`;
  }
}

/** A rule's row in `audit inspect`: field, checks, level, thresholds, reset, message, where. */
export function ruleRow(rule: AuditRule): string[] {
  return [
    rule.field,
    rule.checks.map(describeCheck).join(', '),
    rule.level,
    `${rule.minThreshold}/${rule.maxThreshold}`,
    rule.resetOnSuccess ? 'yes' : 'no',
    rule.message ?? '',
    rule.where,
  ];
}

/** The header of {@link ruleRow}'s table. */
export const RULE_HEADER = ['Field', 'Checks', 'Level', 'Min/max', 'Reset', 'Message', 'Where'] as const;
