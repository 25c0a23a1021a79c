import { PartnerCustomers1766600000000 } from '@lic/shared';
import { BillingAccounts1700000000300 } from './1700000000300-BillingAccounts.js';
import { Usage1700000000301 } from './1700000000301-Usage.js';
import { UserLicenseCategories1765000003100 } from './1765000003100-UserLicenseCategories.js';
import { UploadAlerts1766700001701 } from './1766700001701-UploadAlerts.js';

/** In order; never edit one that has shipped: add another. */
export const migrations = [
  BillingAccounts1700000000300,
  Usage1700000000301,
  UserLicenseCategories1765000003100,
  PartnerCustomers1766600000000,
  UploadAlerts1766700001701,
];
