import type { StandardSchemaV1 } from '@standard-schema/spec';
import { ContractViolationError } from '../errors/index.js';
import type { CompiledContract } from '../contract/process.js';

const ALWAYS = new Set(['local', 'signal', 'cmd']);

interface JsonSchemaCapable {
  readonly '~standard': { readonly jsonSchema?: { readonly input?: (options: { target: string }) => unknown } };
}

/**
 * The top-level layers a schema allows, when the schema can say (Standard JSON Schema, as zod
 * and arktype provide); `undefined` when it cannot, in which case layers are not checked.
 */
export function schemaLayers(schema: StandardSchemaV1 | undefined): ReadonlySet<string> | undefined {
  const input = (schema as JsonSchemaCapable | undefined)?.['~standard'].jsonSchema?.input;
  if (typeof input !== 'function') return undefined;
  try {
    const json = input({ target: 'draft-2020-12' }) as { properties?: Record<string, unknown>; additionalProperties?: unknown };
    if (json.properties === undefined || (json.additionalProperties !== undefined && json.additionalProperties !== false)) return undefined;
    return new Set(Object.keys(json.properties));
  } catch {
    return undefined;
  }
}

/** Rejects a contract whose paths name a layer the schema does not have. */
export function checkLayers(contract: CompiledContract, layers: ReadonlySet<string> | undefined): void {
  if (layers === undefined) return;
  for (const path of [...contract.inputPaths, ...contract.outputPaths]) {
    const root = String(path[0]);
    if (ALWAYS.has(root) || layers.has(root)) continue;
    throw new ContractViolationError(
      'CONTRACT_UNKNOWN_LAYER',
      `Process '${contract.name}' declares '${path.join('.')}', but the schema has no layer '${root}' (layers: ${[...layers].join(', ')}): fix the path or add the layer to the schema.`,
      {
        details: { process: contract.name, path: path.join('.'), layer: root },
      },
    );
  }
}
