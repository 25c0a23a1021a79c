import { CheckInRow } from './checkin/check-in.entity.js';
import { StageChangeRow } from './history/stage-change.entity.js';
import { AccountHoldRow, KnownAccount, LicenseFileFacts } from './standing/standing.entity.js';
import { EnforcementServer } from './status/enforcement-server.entity.js';

import { PARTNER_CUSTOMER_ENTITIES } from '@lic/shared';

export const entities = [
  EnforcementServer,
  CheckInRow,
  StageChangeRow,
  LicenseFileFacts,
  KnownAccount,
  AccountHoldRow,
  ...PARTNER_CUSTOMER_ENTITIES,
];
