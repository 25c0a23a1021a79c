import { PartnerCustomers1766600000000 } from '@lic/shared';
import { EnforcementServers1700000000400 } from './1700000000400-EnforcementServers.js';
import { EnforcementHistory1700000000401 } from './1700000000401-EnforcementHistory.js';
import { GoodStanding1766000003100 } from './1766000003100-GoodStanding.js';

/** In order; never edit one that has shipped: add another. */
export const migrations = [
  EnforcementServers1700000000400,
  EnforcementHistory1700000000401,
  GoodStanding1766000003100,
  PartnerCustomers1766600000000,
];
