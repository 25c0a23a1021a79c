import { Field, ID, ObjectType } from 'type-graphql';
import { type StandingReason as Reason } from '../rules/standing.js';
import { CheckInKind, StandingReason } from '../status/enums.js';
import { type CheckInKindValue } from './check-in.entity.js';

@ObjectType({ description: 'A check-in attempt of a server with the cloud' })
export class EnforcementCheckIn {
  @Field(() => ID, { description: "The check-in's identifier" })
  id!: string;

  @Field(() => CheckInKind, { description: 'Periodic, at start-up, after a switchover, or an override' })
  kind!: CheckInKindValue;

  @Field(() => Boolean, {
    nullable: true,
    description:
      "The platform's verdict: true for good standing. Null only for a start-up or switchover recorded before the platform decided",
  })
  success!: boolean | null;

  @Field(() => StandingReason, { nullable: true, description: 'Why good standing was refused' })
  reason!: Reason | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'What the server itself reported of its check (recorded, never trusted)',
  })
  reportedSuccess!: boolean | null;

  @Field(() => String, { nullable: true, description: 'Who made a manual override' })
  by!: string | null;

  @Field(() => String, { nullable: true, description: "An override's reason" })
  note!: string | null;

  @Field({ description: 'When it happened at the server' })
  occurredAt!: Date;

  @Field({ description: 'When the platform recorded it' })
  recordedAt!: Date;
}
