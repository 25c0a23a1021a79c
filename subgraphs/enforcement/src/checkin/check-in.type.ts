import { Field, ID, ObjectType } from 'type-graphql';
import { CheckInKind } from '../status/enums.js';
import { type CheckInKindValue } from './check-in.entity.js';

@ObjectType({ description: 'A check-in attempt of a server with the cloud' })
export class EnforcementCheckIn {
  @Field(() => ID)
  id!: string;

  @Field(() => CheckInKind)
  kind!: CheckInKindValue;

  @Field(() => Boolean, {
    nullable: true,
    description: 'True: good standing. Null: a start-up or switchover whose check outcome was not reported',
  })
  success!: boolean | null;

  @Field({ description: 'When it happened at the server' })
  occurredAt!: Date;

  @Field({ description: 'When the platform recorded it' })
  recordedAt!: Date;
}
