import { BillingAccount } from './account/billing-account.entity.js';
import { BillingServer } from './account/billing-server.entity.js';

export const entities = [BillingAccount, BillingServer];
