import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Where a server stands in virtual-cloud enforcement at an instant' })
export class EnforcementStatus {
  @Field({ description: 'False for servers whose licence lacks I3_FEATURE_VIRTUAL_CLOUD: never enforced' })
  applicable!: boolean;

  @Field(() => Int, { description: '1 (fully functional) to 6 (unlicensed)' })
  stage!: number;

  @Field()
  stageName!: string;

  @Field(() => Date, { nullable: true, description: 'When the current stage began' })
  since!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the next stage begins without a good check-in' })
  nextStageAt!: Date | null;

  @Field({ description: 'NONE, STATUS_BAR (stage 2) or OBTRUSIVE (stage 3 and beyond)' })
  warning!: string;

  @Field()
  supervisorEnabled!: boolean;

  @Field(() => Int, { nullable: true, description: 'Call ports the server may use; null when not limited' })
  callPortLimit!: number | null;
}
