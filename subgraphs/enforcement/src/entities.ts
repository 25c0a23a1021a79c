import { CheckInRow } from './checkin/check-in.entity.js';
import { StageChangeRow } from './history/stage-change.entity.js';
import { AccountHoldRow, KnownAccount, LicenseFileFacts } from './standing/standing.entity.js';
import { EnforcementServer } from './status/enforcement-server.entity.js';

export const entities = [
  EnforcementServer,
  CheckInRow,
  StageChangeRow,
  LicenseFileFacts,
  KnownAccount,
  AccountHoldRow,
];
