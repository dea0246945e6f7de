import { createTheus } from 'theus';

/** One line of the ledger: a committed deposit, withdrawal or transfer. */
export interface LedgerEntry {
  kind: 'deposit' | 'withdrawal' | 'transfer';
  from: string | null;
  to: string | null;
  amount: number;
}

/** A large transfer held for a person to look at. */
export interface Review {
  transfer: LedgerEntry;
  status: 'open' | 'cleared';
}

/**
 * The bank's state. Zones come from the first segment that names one: `const_` values are
 * read-only for processes, `log_` lists only grow (append-only); everything else is plain data.
 */
export interface BankState {
  global: {
    currency: string;
    /** Transfers of at least this amount raise the `fraud_suspected` signal. */
    const_review_threshold: number;
  };
  domain: {
    /** Balances by account name. */
    accounts: Record<string, number>;
    /** The cash the bank holds: the sum of the balances. */
    vault: number;
    log_ledger: LedgerEntry[];
    reviews: Review[];
  };
}

/** The typed front door: every path a process declares is checked against `BankState`. */
export const bank = createTheus<BankState>();
