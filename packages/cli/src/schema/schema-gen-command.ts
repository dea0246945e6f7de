import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CliError } from '../cli-error.js';
import { describeError } from '../describe-error.js';
import { existingFile } from '../input-files.js';
import { say } from '../output.js';
import { registerTypeScript } from '../typescript-loader.js';
import { writeAtomically } from '../write-atomically.js';
import { findSchema, jsonSchemaOf } from './find-schema.js';

/** Where a project keeps its context schema unless `--from` says otherwise. */
export const DEFAULT_SCHEMA_MODULE = 'src/schema.ts';

/** The options of `theus schema gen`. */
export interface SchemaGenOptions {
  readonly from: string;
  readonly export?: string;
  readonly out: string;
}

/** `theus schema gen`: imports the schema module, converts the schema, writes the JSON file in one rename. */
export async function schemaGenCommand(options: SchemaGenOptions): Promise<void> {
  const file = existingFile(options.from, 'The schema module');
  registerTypeScript();
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    throw new CliError(`Could not import ${options.from}: ${describeError(error)}`);
  }
  const schema = jsonSchemaOf(findSchema(module, options.from, options.export), options.from);
  let text: string;
  try {
    text = `${JSON.stringify(schema, null, 2)}\n`;
  } catch (error) {
    // A cycle or a BigInt in what the validator produced.
    throw new CliError(`The JSON Schema produced from ${options.from} cannot be written as JSON: ${describeError(error)}`);
  }
  if (options.out === '-') {
    process.stdout.write(text);
    return;
  }
  writeAtomically(resolve(options.out), text, options.out);
  const layers = typeof schema.properties === 'object' && schema.properties !== null ? Object.keys(schema.properties) : [];
  say(`${options.out}: JSON Schema of the context written (layers: ${layers.length === 0 ? 'none declared' : layers.join(', ')}).`);
}
