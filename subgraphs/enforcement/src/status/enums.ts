import { registerEnumType } from 'type-graphql';
import { CHECK_IN_KINDS } from '../checkin/check-in.entity.js';
import { CHANGE_CAUSES, type ChangeCause } from '../rules/plan.js';
import { STAGE_NAMES, type EnforcementWarning as Warning, type StageName } from '../rules/stage.js';

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
  description: 'Why a stage changed: a grace period ran out, a good check-in, or a newly loaded licence',
});

export const CheckInKind = enumOf(CHECK_IN_KINDS);
registerEnumType(CheckInKind, {
  name: 'CheckInKind',
  description: 'The twelve-hourly check-in, or the check a server makes at start-up or switchover',
});
