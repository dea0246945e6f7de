import type { ShopState } from './state.js';

/** The state a new shop starts from (`specs/initial_context.yaml` holds the same, for `theus run`). */
export function initialContext(): ShopState {
  return {
    global: { currency: 'EUR' },
    domain: {
      order: { id: 'A-1001', items: { 'TEA-01': 2, 'MUG-02': 1 }, total: 0, status: 'cart', address: '1 Harbour Road, Dublin' },
    },
    inventory: {
      stock: { 'TEA-01': 10, 'MUG-02': 3, 'POT-03': 0 },
      reserved: {},
      const_prices: { 'TEA-01': 6.5, 'MUG-02': 12, 'POT-03': 34 },
    },
    payment: { balance: 100, log_charges: [] },
  };
}
