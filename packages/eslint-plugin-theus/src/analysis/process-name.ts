import { AST_NODE_TYPES, ASTUtils } from '@typescript-eslint/utils';
import type { ProcessInfo } from './find-processes.js';

/**
 * How messages name a process, quoted: the contract's literal `name`, else the function's name,
 * else the variable it is assigned to (`const transfer = process(...)`); `(unnamed)` otherwise.
 */
export function processLabel(info: ProcessInfo): string {
  const name = contractName(info) ?? info.fn.id?.name ?? variableName(info);
  return name === undefined ? '(unnamed)' : `'${name}'`;
}

function contractName(info: ProcessInfo): string | undefined {
  for (const property of info.contract?.properties ?? []) {
    if (property.type !== AST_NODE_TYPES.Property || ASTUtils.getPropertyName(property) !== 'name') continue;
    const value = property.value;
    if (value.type === AST_NODE_TYPES.Literal && typeof value.value === 'string') return value.value;
  }
  return undefined;
}

function variableName(info: ProcessInfo): string | undefined {
  const parent = info.call.parent;
  return parent.type === AST_NODE_TYPES.VariableDeclarator && parent.id.type === AST_NODE_TYPES.Identifier ? parent.id.name : undefined;
}
