import { BillingAccount } from './account/billing-account.entity.js';
import { BillingServer } from './account/billing-server.entity.js';
import { UsageUploadAlert } from './usage-file/upload-alert.entity.js';
import { UsageFileState } from './usage-file/usage-file-state.entity.js';
import { UsageFileUploadRow } from './usage-file/usage-file-upload.entity.js';
import { LicenseLoad } from './tracking/license-load.entity.js';
import { ServerStart } from './tracking/server-start.entity.js';
import { UsageEvent } from './usage/usage-event.entity.js';
import { UsageSessionRow } from './usage/usage-session.entity.js';
import { UsageUserPeriod } from './usage/usage-user-period.entity.js';
import { UsageUser } from './usage/usage-user.entity.js';

import { PARTNER_CUSTOMER_ENTITIES } from '@lic/shared';

export const entities = [
  BillingAccount,
  BillingServer,
  LicenseLoad,
  ServerStart,
  UsageEvent,
  UsageUser,
  UsageSessionRow,
  UsageUserPeriod,
  UsageFileState,
  UsageFileUploadRow,
  UsageUploadAlert,
  ...PARTNER_CUSTOMER_ENTITIES,
];
