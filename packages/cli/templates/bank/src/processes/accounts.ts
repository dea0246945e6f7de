import { InsufficientFunds, UnknownAccount } from '../errors.js';
import { bank } from '../state.js';

/** Pays cash into an account: the balance and the vault grow, the ledger gets a line. */
export const deposit = bank.process(
  {
    name: 'deposit',
    inputs: ['domain.accounts', 'domain.vault'],
    outputs: ['domain.accounts', 'domain.vault', 'domain.log_ledger'],
    errors: ['UnknownAccount'],
  },
  (ctx, args: { to: string; amount: number }) => {
    const balance = ctx.domain.accounts[args.to];
    if (balance === undefined) throw new UnknownAccount(`No account '${args.to}'`);
    ctx.domain.accounts[args.to] = balance + args.amount;
    ctx.domain.vault += args.amount;
    ctx.domain.log_ledger.push({ kind: 'deposit', from: null, to: args.to, amount: args.amount });
    return bank.update({}, { result: balance + args.amount });
  },
);

/** Pays cash out of an account; refused (nothing changes) when the balance is too low. */
export const withdraw = bank.process(
  {
    name: 'withdraw',
    inputs: ['domain.accounts', 'domain.vault'],
    outputs: ['domain.accounts', 'domain.vault', 'domain.log_ledger'],
    errors: ['UnknownAccount', 'InsufficientFunds'],
  },
  (ctx, args: { from: string; amount: number }) => {
    const balance = ctx.domain.accounts[args.from];
    if (balance === undefined) throw new UnknownAccount(`No account '${args.from}'`);
    if (balance < args.amount) throw new InsufficientFunds(`'${args.from}' holds ${balance}, cannot withdraw ${args.amount}`);
    ctx.domain.accounts[args.from] = balance - args.amount;
    ctx.domain.vault -= args.amount;
    ctx.domain.log_ledger.push({ kind: 'withdrawal', from: args.from, to: null, amount: args.amount });
    return bank.update({}, { result: balance - args.amount });
  },
);
