import { Field, ID, Int, ObjectType } from 'type-graphql';
import { CallEndCause } from './ended-call.entity.js';

@ObjectType({ description: 'A call against the server’s call ports' })
export class CallPortStatus {
  @Field(() => ID, { description: 'The server the call is on' })
  serverId!: string;

  @Field(() => ID, { description: 'The call, as the server identifies it' })
  callId!: string;

  @Field({ description: 'The call holds a call port (false when every allowed call port is busy)' })
  accepted!: boolean;

  @Field(() => Int, { description: 'Calls open on the server' })
  open!: number;

  @Field(() => Int, {
    nullable: true,
    description: 'Call ports allowed now: licensed (any licence model), lowered by enforcement',
  })
  limit!: number | null;

  @Field(() => CallEndCause, {
    nullable: true,
    description: 'Closing a call the platform had already ended: why it ended (its port was released then)',
  })
  endCause!: CallEndCause | null;

  @Field(() => Date, { nullable: true, description: 'When the platform ended the call, if it did' })
  endedAt!: Date | null;
}
