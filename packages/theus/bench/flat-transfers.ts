/**
 * The two ways a process can move one unit between two balances of a flat record
 * (`domain.accounts`): shadow writes on the draft, and returning the whole new record.
 *
 * @packageDocumentation
 */
import { process } from 'theus';

/** The arguments of a transfer: the two account keys. */
export interface TransferArgs {
  readonly from: string;
  readonly to: string;
}

/** Shadow writes: `accounts[from] -= 1; accounts[to] += 1` on the draft. */
export const shadowTransfer = process(
  { name: 'shadowTransfer', inputs: ['domain.accounts'], outputs: ['domain.accounts'] },
  (ctx, { from, to }: TransferArgs) => {
    const accounts = ctx.domain.accounts;
    accounts[from] -= 1;
    accounts[to] += 1;
  },
);

/** The "return data" style: one output, so the process returns its new value, a spread of the record. */
export const returnTransfer = process({ name: 'returnTransfer', outputs: ['domain.accounts'] }, (ctx, { from, to }: TransferArgs) => {
  const accounts = ctx.domain.accounts;
  return { ...accounts, [from]: accounts[from] - 1, [to]: accounts[to] + 1 };
});
