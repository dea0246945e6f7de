/**
 * Loader problems that no JSON Schema can see, by message, each with the reason. A schema checks
 * one value at a time against fixed shapes; these need the engine (registered processes, the
 * state's layers), another part of the file (inheritance, targets, a second bound), or a parser of
 * their own (YAML itself, conditions, RE2 patterns).
 */
const SEMANTIC_ISSUES: readonly { readonly message: RegExp; readonly reason: string }[] = [
  { message: /^YAML syntax/, reason: 'the text is not YAML: the YAML parser reports it (in editors too) before any schema applies' },
  // An empty condition is the one syntax error a schema sees (a blank string).
  {
    message: /condition does not parse(?!: the condition is empty)/,
    reason: 'conditions are expressions in their own language, parsed by the loader',
  },
  {
    message: /condition reads /,
    reason: "the names a condition may read are the engine's state layers, and what the expression reads is known only once parsed",
  },
  { message: /unknown (entry )?process '/, reason: 'process names are those registered with the engine' },
  { message: /inherits unknown recipe|inheritance cycle/, reason: '`inherits` names another recipe of the file' },
  { message: /already has a recipe at/, reason: 'the same process in `process_recipes` and `rules` is a relation between two entries' },
  {
    message: /must not exceed max_threshold|is below min/,
    reason: 'a bound compared with another bound (possibly inherited) is a relation between two values',
  },
  {
    message: /^'regex' (does not compile|uses |is too complex|is \d+ characters long)/,
    reason: 'regex patterns are RE2 programs, compiled by the loader',
  },
  { message: /nests deeper than/, reason: 'the depth of a compared value is counted by the loader' },
  { message: /targets unknown state|unknown initial state/, reason: 'a target or `initial` names another state of the file' },
];

/** Why a schema cannot report a loader problem, or undefined when the problem is structural (the schema must report it). */
export function semanticReason(message: string): string | undefined {
  return SEMANTIC_ISSUES.find((issue) => issue.message.test(message))?.reason;
}
