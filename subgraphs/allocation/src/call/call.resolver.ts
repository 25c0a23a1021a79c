import { Arg, Ctx, Field, ID, Int, Mutation, ObjectType, Resolver } from 'type-graphql';
import { type Context } from '../context.js';
import { CallService } from './call.service.js';

@ObjectType({ description: 'A call against the server’s call ports' })
export class CallPortStatus {
  @Field(() => ID)
  serverId!: string;

  @Field(() => ID)
  callId!: string;

  @Field({ description: 'The call holds a call port (false when every allowed call port is busy)' })
  accepted!: boolean;

  @Field(() => Int, { description: 'Calls open on the server' })
  open!: number;

  @Field(() => Int, {
    nullable: true,
    description: 'Call ports allowed now (licensed, lowered by enforcement); null = uncapped',
  })
  limit!: number | null;
}

@Resolver()
export class CallResolver {
  constructor(private readonly service: CallService) {}

  @Mutation(() => CallPortStatus, { description: 'A call starts: it takes a call port if one is allowed' })
  openCall(
    @Arg('serverId', () => ID) serverId: string,
    @Arg('callId', () => ID) callId: string,
    @Ctx() ctx: Context,
  ): Promise<CallPortStatus> {
    return this.service.open(ctx.principal, serverId, callId);
  }

  @Mutation(() => CallPortStatus, { description: 'A call ends: its call port is free again' })
  closeCall(
    @Arg('serverId', () => ID) serverId: string,
    @Arg('callId', () => ID) callId: string,
    @Ctx() ctx: Context,
  ): Promise<CallPortStatus> {
    return this.service.close(ctx.principal, serverId, callId);
  }
}
