import { BillingAccounts1700000000300 } from './1700000000300-BillingAccounts.js';

/** In order; never edit one that has shipped: add another. */
export const migrations = [BillingAccounts1700000000300];
