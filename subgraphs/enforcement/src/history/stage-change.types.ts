import { Field, Int, ObjectType } from 'type-graphql';
import { type ChangeCause } from '../rules/plan.js';
import { type StageName } from '../rules/stage.js';
import { EnforcementChangeCause, EnforcementStageName } from '../status/enums.js';

@ObjectType({ description: "A change of a server's enforcement stage" })
export class EnforcementStageChange {
  serverId!: string;

  accountId!: string;

  @Field(() => Int, { description: 'The stage before (1 to 6)' })
  from!: number;

  @Field(() => Int, { description: 'The stage after (1 to 6)' })
  to!: number;

  @Field(() => EnforcementStageName, { description: 'The stage left' })
  fromName!: StageName;

  @Field(() => EnforcementStageName, { description: 'The stage entered' })
  toName!: StageName;

  @Field({ description: 'When the new stage began' })
  at!: Date;

  @Field(() => EnforcementChangeCause, { description: 'What caused the change', nullable: true })
  cause!: ChangeCause | null;

  @Field({ description: 'Whether supervisor licences may be acquired at the new stage' })
  supervisorEnabled!: boolean;

  @Field(() => Int, {
    nullable: true,
    description: 'The call-port limit at the new stage; null when not limited',
  })
  callPortLimit!: number | null;

  @Field(() => String, { nullable: true, description: 'Who made the change by hand (a manual override)' })
  by!: string | null;

  @Field(() => String, { nullable: true, description: "Why (a manual override's reason)" })
  reason!: string | null;
}
