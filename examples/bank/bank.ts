import { createTheus } from 'theus';

/** The bank's state: accounts by owner, the reserves, and a fraud signal. */
export interface BankState {
  global: { currency: string };
  domain: {
    accounts: Record<string, number>;
    total_reserves: number;
    sig_fraud_detected?: boolean;
  };
}

/** The typed front door for the bank: every path below is checked against `BankState`. */
export const bank = createTheus<BankState>();

/** Raised when a transfer asks for more than the sender holds. */
export class InsufficientFunds extends Error {
  override name = 'InsufficientFunds';
}

/** Moves money between two accounts; flags an overdraft attempt as possible fraud. */
export const transfer = bank.process(
  {
    inputs: ['domain.accounts'],
    outputs: ['domain.accounts', 'domain.sig_fraud_detected'],
    errors: ['RangeError', 'InsufficientFunds'],
  },
  function transfer(ctx, args: { from: string; to: string; amount: number }) {
    if (args.amount <= 0) throw new RangeError('Amount must be positive');
    const senderBalance = ctx.domain.accounts[args.from] ?? 0;
    if (senderBalance < args.amount) {
      ctx.domain.sig_fraud_detected = true;
      return bank.update({}, { result: 'Failed: Insufficient Funds' });
    }
    ctx.domain.accounts[args.from] = senderBalance - args.amount;
    ctx.domain.accounts[args.to] = (ctx.domain.accounts[args.to] ?? 0) + args.amount;
    return bank.update({}, { result: 'Success' });
  },
);

/** Reads the balances without changing anything. */
export const totalBalance = bank.process({ inputs: ['domain.accounts'], semantic: 'pure' }, function totalBalance(ctx) {
  return Object.values(ctx.domain.accounts).reduce((sum, balance) => sum + balance, 0);
});
