import { fileURLToPath } from 'node:url';
import type { Engine } from 'theus';
import { initialContext } from './context.js';
import { deposit, withdraw } from './processes/accounts.js';
import { openReview, transfer } from './processes/transfers.js';
import { bank, type BankState } from './state.js';

/** Every process of the bank. */
export const processes = [deposit, withdraw, transfer, openReview];

/** A file of this project, by its path from the project's root (whatever the working folder). */
export function projectFile(path: string): string {
  return fileURLToPath(new URL(`../${path}`, import.meta.url));
}

/** Creates a bank engine: the processes, the audit recipe of `specs/audit_recipe.yaml`, in memory. */
export function createBank(context: BankState = initialContext()): Engine<BankState> {
  return bank.engine({ context, processes, audit: projectFile('specs/audit_recipe.yaml') });
}
