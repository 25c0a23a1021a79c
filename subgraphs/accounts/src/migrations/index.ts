import { Accounts1700000000100 } from './1700000000100-Accounts.js';

/** In order; never edit one that has shipped: add another. */
export const migrations = [Accounts1700000000100];
