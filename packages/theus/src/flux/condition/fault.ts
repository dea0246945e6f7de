/**
 * The internal failure of an evaluation and the Python-style type names that messages use.
 * `condition.ts` turns a fault into a `WorkflowError` naming the condition's text.
 *
 * @packageDocumentation
 */

/** A problem found while evaluating, at an offset in the condition's text. Never escapes the module. */
export class ConditionFault extends Error {
  /** 0-based offset of the sub-expression that failed. */
  readonly offset: number;

  constructor(message: string, offset: number) {
    super(message);
    this.name = 'ConditionFault';
    this.offset = offset;
  }
}

/** Throws a {@link ConditionFault}; typed `never` so that callers can use it in expressions. */
export function fault(message: string, offset: number): never {
  throw new ConditionFault(message, offset);
}

/** Python's name for the type of `value` (`NoneType`, `bool`, `int`, `float`, `str`, `list`, `dict`...). */
export function typeName(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  switch (typeof value) {
    case 'boolean':
      return 'bool';
    case 'number':
      return Number.isInteger(value) ? 'int' : 'float';
    case 'string':
      return 'str';
    case 'bigint':
      return 'bigint';
    case 'function':
      return 'function';
    case 'object':
      return Array.isArray(value) ? 'list' : 'dict';
    default:
      return typeof value;
  }
}
