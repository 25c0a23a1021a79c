import { Servers1700000000200 } from './1700000000200-Servers.js';
import { Allocation1700000000201 } from './1700000000201-Allocation.js';
import { FinishGuarded1764300000200 } from './1764300000200-FinishGuarded.js';
import { GroupCommit1764400000000 } from './1764400000000-GroupCommit.js';
import { FileBinding1765000001200 } from './1765000001200-FileBinding.js';
import { CallPortsBounded1765000002200 } from './1765000002200-CallPortsBounded.js';
import { EndedCalls1765000002201 } from './1765000002201-EndedCalls.js';
import { StationLicensesRecounted1765000002202 } from './1765000002202-StationLicensesRecounted.js';
import { Withheld1765000004200 } from './1765000004200-Withheld.js';
import { SwitchoverUnits1765000005200 } from './1765000005200-SwitchoverUnits.js';
import { PartnerCustomers1766600000000 } from '@lic/shared';
import { InstallSites1766000005100 } from './1766000005100-InstallSites.js';
import { UsageHistory1766000006100 } from './1766000006100-UsageHistory.js';
import { PoolAlerts1766700001700 } from './1766700001700-PoolAlerts.js';
import { MemberProcedures1767000000200 } from './1767000000200-MemberProcedures.js';

/** In order; never edit one that has shipped: add another. */
export const migrations = [
  Servers1700000000200,
  Allocation1700000000201,
  FinishGuarded1764300000200,
  GroupCommit1764400000000,
  FileBinding1765000001200,
  CallPortsBounded1765000002200,
  EndedCalls1765000002201,
  StationLicensesRecounted1765000002202,
  Withheld1765000004200,
  SwitchoverUnits1765000005200,
  InstallSites1766000005100,
  UsageHistory1766000006100,
  PartnerCustomers1766600000000,
  PoolAlerts1766700001700,
  MemberProcedures1767000000200,
];
