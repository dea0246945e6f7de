import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv2020, type AnySchemaObject, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';

/** The three YAML formats and the file each one's schema ships as (`theus/schemas/<file>`). */
export const SCHEMA_FILES = { workflow: 'workflow.json', audit: 'audit-recipe.json', fsm: 'state-machine.json' } as const;

/** One of the YAML formats: a workflow, an audit recipe or a state machine. */
export type FormatKind = keyof typeof SCHEMA_FILES;

/** Every format, in a stable order. */
export const FORMAT_KINDS: readonly FormatKind[] = ['workflow', 'audit', 'fsm'];

const require = createRequire(import.meta.url);

/** Where a format's schema resolves from a consumer's point of view (through the package's `exports`). */
export function schemaPath(kind: FormatKind): string {
  return require.resolve(`theus/schemas/${SCHEMA_FILES[kind]}`);
}

/** Reads a shipped schema. */
export function readSchema(kind: FormatKind): AnySchemaObject {
  return JSON.parse(readFileSync(schemaPath(kind), 'utf8')) as AnySchemaObject;
}

/** A draft 2020-12 Ajv in strict mode that reports every error, not only the first. */
export function strictAjv(): Ajv2020 {
  return new Ajv2020({ strict: true, allErrors: true });
}

const compiled = new Map<FormatKind, ValidateFunction>();

/** The errors a format's schema finds in `data` (empty when it is valid); each schema is compiled once. */
export function schemaErrors(kind: FormatKind, data: unknown): readonly ErrorObject[] {
  let validate = compiled.get(kind);
  if (validate === undefined) {
    validate = strictAjv().compile(readSchema(kind));
    compiled.set(kind, validate);
  }
  return validate(data) ? [] : (validate.errors ?? []);
}
