import { registerEnumType } from 'type-graphql';
import { CHECK_IN_KINDS } from '../checkin/check-in.entity.js';
import { CHANGE_CAUSES, type ChangeCause } from '../rules/plan.js';
import { STAGE_NAMES, type EnforcementWarning as Warning, type StageName } from '../rules/stage.js';
import { STANDING_REASONS } from '../rules/standing.js';

const enumOf = <T extends string>(values: readonly T[]): { [K in T]: K } =>
  Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };

export const EnforcementStageName = enumOf<StageName>(STAGE_NAMES);
registerEnumType(EnforcementStageName, {
  name: 'EnforcementStageName',
  description: 'The six stages of virtual-cloud enforcement, 1 to 6',
});

export const EnforcementWarning = enumOf<Warning>(['NONE', 'STATUS_BAR', 'OBTRUSIVE']);
registerEnumType(EnforcementWarning, {
  name: 'EnforcementWarning',
  description:
    'What users of the server see: nothing, a status-bar warning (stage 2) or an obtrusive one (3 and beyond)',
});

export const EnforcementChangeCause = enumOf<ChangeCause>(CHANGE_CAUSES);
registerEnumType(EnforcementChangeCause, {
  name: 'EnforcementChangeCause',
  description:
    "Why a stage changed: a grace period ran out, a good check-in, a newly loaded licence, or a licensing administrator's manual override",
});

export const CheckInKind = enumOf(CHECK_IN_KINDS);
registerEnumType(CheckInKind, {
  name: 'CheckInKind',
  description:
    "The twelve-hourly check-in, the check a server makes at start-up or switchover, or a licensing administrator's manual override",
});

export const StandingReason = enumOf(STANDING_REASONS);
registerEnumType(StandingReason, {
  name: 'StandingReason',
  description: 'Why the platform refused good standing',
  valuesConfig: {
    NO_LICENSE_FILE: { description: 'No activation file is loaded on the server' },
    LICENSE_FILE_DEACTIVATED: { description: 'The loaded activation file was deactivated' },
    LICENSE_FILE_SUPERSEDED: { description: 'The server runs an older revision than the current one' },
    LICENSE_FILE_EXPIRED: { description: "The loaded activation file's expiry has passed" },
    SUBSCRIPTION_INACTIVE: { description: 'No active subscription stands behind the loaded file' },
    ACCOUNT_ON_HOLD: { description: 'A licensing administrator put the account on hold' },
    CHECK_REPORTED_FAILED: { description: 'The server reported that its check did not succeed' },
  },
});
