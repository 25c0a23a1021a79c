import { Field, Int, ObjectType } from 'type-graphql';
import { type EnforcementWarning as Warning, type StageName } from '../rules/stage.js';
import { EnforcementStageName, EnforcementWarning } from './enums.js';

@ObjectType({ description: 'Where a server stands in virtual-cloud enforcement at an instant' })
export class EnforcementStatus {
  @Field({ description: 'False for servers whose licence lacks I3_FEATURE_VIRTUAL_CLOUD: never enforced' })
  applicable!: boolean;

  @Field(() => Int, { description: '1 (fully functional) to 6 (unlicensed)' })
  stage!: number;

  @Field(() => EnforcementStageName)
  stageName!: StageName;

  @Field(() => Date, {
    nullable: true,
    description: 'When the current stage began; null before the ramp date and when not applicable',
  })
  since!: Date | null;

  @Field(() => Date, {
    nullable: true,
    description:
      'When the next stage begins without a good check-in; null at stage 6 and when not applicable',
  })
  nextStageAt!: Date | null;

  @Field(() => EnforcementWarning, {
    description: 'NONE, STATUS_BAR (stage 2) or OBTRUSIVE (stage 3 and beyond)',
  })
  warning!: Warning;

  @Field({ description: 'False from stage 4: supervisor licences can no longer be acquired' })
  supervisorEnabled!: boolean;

  @Field(() => Int, {
    nullable: true,
    description: 'Call ports the server may use at stages 5 and 6; null when enforcement does not limit them',
  })
  callPortLimit!: number | null;

  @Field(() => Int, { description: 'Call ports of the loaded licence' })
  licensedCallPorts!: number;

  @Field(() => Date, { nullable: true, description: 'The latest successful check-in at or before `asOf`' })
  lastGoodCheckIn!: Date | null;

  @Field(() => Date, { nullable: true, description: 'The licence ramp date: no enforcement before it' })
  rampDate!: Date | null;

  @Field(() => Int, { nullable: true, description: 'The licence grace period, in days' })
  gracePeriodDays!: number | null;

  @Field({ description: 'The instant this status describes' })
  asOf!: Date;
}
