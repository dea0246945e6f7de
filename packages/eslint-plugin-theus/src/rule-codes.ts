/** Each rule's POP code, the code its messages start with (the codes of the original Python linter). */
const codes = {
  'no-console': 'POP-E01',
  'no-file-io': 'POP-E02',
  'no-network': 'POP-E03',
  'no-module-state': 'POP-E04',
  'no-undeclared-write': 'POP-E05',
  'return-path': 'POP-E06',
  'no-zone-paradox': 'POP-E07',
  'no-zone-alias': 'POP-E08',
  'contract-integrity': 'POP-C01',
} as const;

/** The id of a rule of this plugin, without the `theus/` prefix. */
export type RuleId = keyof typeof codes;

/** A POP code: `POP-E01` ... `POP-E08`, `POP-C01`. */
export type PopCode = (typeof codes)[RuleId];

/**
 * Each rule's POP code, by rule id (`ruleCodes['no-console']` is `'POP-E01'`). Indexing with any
 * other string is allowed and gives `undefined`, so a rule id read from a lint message can be
 * looked up as it is.
 */
export const ruleCodes: typeof codes & Readonly<Record<string, PopCode | undefined>> = codes;
