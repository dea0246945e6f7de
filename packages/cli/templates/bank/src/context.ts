import type { BankState } from './state.js';

/** The state a new bank starts from (`specs/initial_context.yaml` holds the same, for `theus run`). */
export function initialContext(): BankState {
  return {
    global: { currency: 'EUR', const_review_threshold: 5000 },
    domain: {
      accounts: { alice: 8000, bob: 500, carol: 0 },
      vault: 8500,
      log_ledger: [],
      reviews: [],
    },
  };
}
