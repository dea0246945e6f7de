import { CliError } from '../cli-error.js';

/** A Standard Schema validator that can describe itself as JSON Schema (`~standard.jsonSchema`, Standard Schema 1.1). */
export interface JsonSchemaSource {
  readonly '~standard': {
    readonly vendor: string;
    readonly jsonSchema?: {
      readonly output?: (options: { target: string }) => unknown;
      readonly input?: (options: { target: string }) => unknown;
    };
  };
}

function isStandardSchema(value: unknown): value is JsonSchemaSource {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  const standard = (value as { '~standard'?: unknown })['~standard'];
  return typeof standard === 'object' && standard !== null && typeof (standard as { validate?: unknown }).validate === 'function';
}

/**
 * The context schema among a module's exports: `name` when given, else `contextSchema`, else the
 * default export, else the only Standard Schema exported.
 *
 * @throws CliError naming what the module exports when none fits.
 */
export function findSchema(module: Readonly<Record<string, unknown>>, file: string, name: string | undefined): JsonSchemaSource {
  const schemas = Object.keys(module).filter((key) => isStandardSchema(module[key]));
  const chosen =
    name ?? ['contextSchema', 'default'].find((key) => schemas.includes(key)) ?? (schemas.length === 1 ? schemas[0] : undefined);
  if (chosen === undefined || !Object.hasOwn(module, chosen)) {
    const found = schemas.length === 0 ? 'it exports no Standard Schema validator' : `it exports several: ${schemas.join(', ')}`;
    throw new CliError(
      `No context schema found in ${file}${name === undefined ? '' : ` under the export '${name}'`}: ${found}. Export it as 'contextSchema' or pass --export <name>.`,
    );
  }
  const schema = module[chosen];
  if (!isStandardSchema(schema))
    throw new CliError(`The export '${chosen}' of ${file} is not a Standard Schema validator (zod 4, valibot, arktype).`);
  return schema;
}

/**
 * The JSON Schema (draft 2020-12) of the values the validator accepts.
 *
 * @throws CliError when the validator cannot produce one (valibot needs @valibot/to-json-schema)
 *   or fails to (a transform or a type JSON Schema cannot express).
 */
export function jsonSchemaOf(schema: JsonSchemaSource, file: string): Record<string, unknown> {
  const standard = schema['~standard'];
  const convert = standard.jsonSchema?.output ?? standard.jsonSchema?.input;
  if (typeof convert !== 'function') {
    throw new CliError(
      `The ${standard.vendor} schema of ${file} cannot produce a JSON Schema (it has no ~standard.jsonSchema): use a validator that can, such as zod 4 or arktype.`,
    );
  }
  let json: unknown;
  try {
    json = convert.call(standard.jsonSchema, { target: 'draft-2020-12' });
  } catch (error) {
    throw new CliError(
      `The ${standard.vendor} schema of ${file} could not be converted to JSON Schema: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (typeof json !== 'object' || json === null)
    throw new CliError(`The ${standard.vendor} schema of ${file} produced no JSON Schema object.`);
  return json as Record<string, unknown>;
}
