import { Servers1700000000200 } from './1700000000200-Servers.js';

/** In order; never edit one that has shipped: add another. */
export const migrations = [Servers1700000000200];
