import { PoolAlertRow } from './alerts/pool-alert.entity.js';
import { LicenseFileRevision } from './license/license-file-revision.entity.js';
import { EndedCall } from './call/ended-call.entity.js';
import { LicenseDenial } from './pool/denial.entity.js';
import { AccountLicenseCap, LicensePoolRow, OpenCall, WithdrawnLicenseFile } from './pool/pool.entity.js';
import { Server } from './server/server.entity.js';
import { LogonSession } from './session/session.entity.js';
import { Station } from './station/station.entity.js';
import { CicUser } from './user/user.entity.js';
import { PARTNER_CUSTOMER_ENTITIES } from '@lic/shared';

export const entities = [
  Server,
  LicensePoolRow,
  AccountLicenseCap,
  CicUser,
  Station,
  LogonSession,
  LicenseDenial,
  OpenCall,
  EndedCall,
  WithdrawnLicenseFile,
  LicenseFileRevision,
  PoolAlertRow,
  ...PARTNER_CUSTOMER_ENTITIES,
];
