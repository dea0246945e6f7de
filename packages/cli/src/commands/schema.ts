import type { Command } from 'commander';
import { DEFAULT_SCHEMA_MODULE, schemaGenCommand } from '../schema/schema-gen-command.js';

/** Registers `theus schema gen`: the JSON Schema of the context, from the project's validator. */
export function registerSchema(program: Command): void {
  const schema = program.command('schema').description('Context schema tools.');
  schema
    .command('gen')
    .description("Write the context's JSON Schema, produced by its Standard Schema validator (zod 4, arktype).")
    .option('--from <module>', 'the module that exports the context schema', DEFAULT_SCHEMA_MODULE)
    .option('--export <name>', 'the export to use (default: contextSchema, else the default export, else the only schema exported)')
    .option('-o, --out <file>', "the JSON file to write, or '-' for standard output", 'specs/context_schema.json')
    .action(schemaGenCommand);
}
