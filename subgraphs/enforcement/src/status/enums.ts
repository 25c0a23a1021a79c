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
  valuesConfig: {
    FULLY_FUNCTIONAL: { description: 'Stage 1: everything works' },
    WARNING: { description: 'Stage 2: a warning in the status bar' },
    OBTRUSIVE_WARNING: { description: 'Stage 3: an obtrusive warning' },
    SUPERVISOR_DISABLED: { description: 'Stage 4: the supervisor is disabled' },
    CALL_PORTS_LIMITED: { description: 'Stage 5: call ports are limited' },
    UNLICENSED: { description: 'Stage 6: the server is unlicensed' },
  },
});

export const EnforcementWarning = enumOf<Warning>(['NONE', 'STATUS_BAR', 'OBTRUSIVE']);
registerEnumType(EnforcementWarning, {
  name: 'EnforcementWarning',
  description:
    'What users of the server see: nothing, a status-bar warning (stage 2) or an obtrusive one (3 and beyond)',
  valuesConfig: {
    NONE: { description: 'No warning' },
    STATUS_BAR: { description: 'A warning in the status bar' },
    OBTRUSIVE: { description: 'An obtrusive warning' },
  },
});

export const EnforcementChangeCause = enumOf<ChangeCause>(CHANGE_CAUSES);
registerEnumType(EnforcementChangeCause, {
  name: 'EnforcementChangeCause',
  description:
    "Why a stage changed: a grace period ran out, a good check-in, a newly loaded licence, or a licensing administrator's manual override",
  valuesConfig: {
    GRACE_PERIOD_ELAPSED: { description: 'The grace period without a good check-in ran out' },
    CHECK_IN: { description: 'A check-in in good standing' },
    LICENSE_LOADED: { description: 'A licence file was loaded' },
    OVERRIDE: { description: 'A licensing administrator granted good standing' },
  },
});

export const CheckInKind = enumOf(CHECK_IN_KINDS);
registerEnumType(CheckInKind, {
  name: 'CheckInKind',
  description:
    "The twelve-hourly check-in, the check a server makes at start-up or switchover, or a licensing administrator's manual override",
  valuesConfig: {
    PERIODIC: { description: "The server's regular check-in" },
    STARTUP: { description: 'The check-in a server makes when it starts' },
    SWITCHOVER: { description: 'The check-in after a switchover to the other server of a pair' },
    OVERRIDE: { description: 'Good standing granted by a licensing administrator' },
  },
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
