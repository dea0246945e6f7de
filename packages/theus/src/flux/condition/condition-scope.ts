/**
 * The names a condition can see.
 *
 * @packageDocumentation
 */

/** Names visible to a condition: every context layer by name (domain, global, local, namespaces...), plus `signal` and `cmd`. */
export type ConditionScope = Readonly<Record<string, unknown>>;
