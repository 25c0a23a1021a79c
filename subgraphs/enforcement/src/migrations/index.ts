import { EnforcementServers1700000000400 } from './1700000000400-EnforcementServers.js';

/** In order; never edit one that has shipped: add another. */
export const migrations = [EnforcementServers1700000000400];
