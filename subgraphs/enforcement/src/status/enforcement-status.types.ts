import { Field, Int, ObjectType } from 'type-graphql';
import { type EnforcementWarning as Warning, type StageName } from '../rules/stage.js';
import { type StandingReason as Reason } from '../rules/standing.js';
import { EnforcementStageName, EnforcementWarning, StandingReason } from './enums.js';

@ObjectType({ description: 'Why the platform does not grant good standing' })
export class StandingRefusal {
  @Field({ description: 'Always NOT_IN_GOOD_STANDING (the stable code of docs/api.md)' })
  code!: string;

  @Field(() => StandingReason, { description: 'Why good standing was refused' })
  reason!: Reason;

  @Field({ description: 'The reason, for people' })
  message!: string;
}

@ObjectType({ description: 'Where a server stands in virtual-cloud enforcement at an instant' })
export class EnforcementStatus {
  @Field({ description: 'False for servers whose licence lacks I3_FEATURE_VIRTUAL_CLOUD: never enforced' })
  applicable!: boolean;

  @Field(() => Int, { description: '1 (fully functional) to 6 (unlicensed)' })
  stage!: number;

  @Field(() => EnforcementStageName, { description: "The stage's name" })
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

  @Field({
    description:
      "The platform's verdict: good standing (current, active, unexpired file; active subscription; account not on hold). On a check-in's answer, the verdict on that check-in",
  })
  goodStanding!: boolean;

  @Field(() => StandingRefusal, {
    nullable: true,
    description: 'Why good standing is refused; null when granted',
  })
  standingRefusal!: StandingRefusal | null;

  @Field({
    description:
      'True when the last start-up or switchover check was refused good standing and no good check-in followed: the status warns at once',
  })
  startedWithoutGoodStanding!: boolean;

  @Field({ description: 'The instant this status describes' })
  asOf!: Date;
}
