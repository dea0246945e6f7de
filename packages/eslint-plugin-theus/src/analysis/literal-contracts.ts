import { readLiteralContract, type LiteralContract } from './contract.js';
import type { ProcessInfo } from './find-processes.js';

/**
 * A per-rule cache of literal contracts: `contractOf(info)` reads each process's contract once,
 * `undefined` when it is not literal (the rules that need it then skip the process silently).
 */
export function literalContracts(): (info: ProcessInfo) => LiteralContract | undefined {
  const cache = new Map<ProcessInfo, LiteralContract | undefined>();
  return (info) => {
    if (!cache.has(info)) cache.set(info, info.contract === undefined ? undefined : readLiteralContract(info.contract));
    return cache.get(info);
  };
}
