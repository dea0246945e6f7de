import { InsufficientFunds, UnknownAccount } from '../errors.js';
import { bank } from '../state.js';

/**
 * Moves money between two accounts. The sender is debited first: if the receiver then turns out
 * not to exist, the run throws and the debit is rolled back with everything else. A transfer of
 * at least `global.const_review_threshold` commits and raises the `fraud_suspected` signal.
 */
export const transfer = bank.process(
  {
    name: 'transfer',
    inputs: ['domain.accounts', 'global.const_review_threshold'],
    outputs: ['domain.accounts', 'domain.log_ledger', 'signal'],
    errors: ['UnknownAccount', 'InsufficientFunds'],
  },
  (ctx, args: { from: string; to: string; amount: number }) => {
    const sent = ctx.domain.accounts[args.from];
    if (sent === undefined) throw new UnknownAccount(`No account '${args.from}'`);
    if (sent < args.amount) throw new InsufficientFunds(`'${args.from}' holds ${sent}, cannot send ${args.amount}`);
    ctx.domain.accounts[args.from] = sent - args.amount;
    const received = ctx.domain.accounts[args.to];
    if (received === undefined) throw new UnknownAccount(`No account '${args.to}'`);
    ctx.domain.accounts[args.to] = received + args.amount;
    const entry = { kind: 'transfer' as const, from: args.from, to: args.to, amount: args.amount };
    ctx.domain.log_ledger.push(entry);
    if (args.amount >= ctx.global.const_review_threshold) ctx.signal('fraud_suspected', entry);
    return bank.update({}, { result: sent - args.amount });
  },
);

/** Opens a review of the latest ledger line (the workflow runs it when `fraud_suspected` fires). */
export const openReview = bank.process(
  { name: 'open_review', inputs: ['domain.log_ledger', 'domain.reviews'], outputs: ['domain.reviews'] },
  (ctx) => {
    const latest = ctx.domain.log_ledger.at(-1);
    if (latest === undefined) return ctx.domain.reviews;
    return [...ctx.domain.reviews, { transfer: latest, status: 'open' as const }];
  },
);
