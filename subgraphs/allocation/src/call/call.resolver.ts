import { Arg, Ctx, Field, FieldResolver, ID, Int, Mutation, ObjectType, Resolver, Root } from 'type-graphql';
import { badInput } from '@lic/shared';
import { type Context } from '../context.js';
import { Server } from '../server/server.entity.js';
import { CallService } from './call.service.js';
import { CallEndCause, EndedCall } from './ended-call.entity.js';

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

@Resolver()
export class CallResolver {
  constructor(private readonly service: CallService) {}

  @Mutation(() => CallPortStatus, { description: 'A call starts: it takes a call port if one is allowed' })
  openCall(
    @Arg('serverId', () => ID, { description: 'The server the call is on' }) serverId: string,
    @Arg('callId', () => ID, { description: 'The call, as the server identifies it' }) callId: string,
    @Ctx() ctx: Context,
  ): Promise<CallPortStatus> {
    return this.service.open(ctx.principal, serverId, callId);
  }

  @Mutation(() => CallPortStatus, { description: 'A call ends: its call port is free again' })
  closeCall(
    @Arg('serverId', () => ID, { description: 'The server the call is on' }) serverId: string,
    @Arg('callId', () => ID, { description: 'The call, as the server identifies it' }) callId: string,
    @Ctx() ctx: Context,
  ): Promise<CallPortStatus> {
    return this.service.close(ctx.principal, serverId, callId);
  }
}

/** The calls the platform ended on a server (development licences disconnect hourly). */
@Resolver(() => Server)
export class ServerCallsResolver {
  constructor(private readonly service: CallService) {}

  @FieldResolver(() => [EndedCall], {
    description:
      'Calls the platform ended (e.g. the hourly disconnect of development licences), newest first',
  })
  async endedCalls(
    @Root() server: Server,
    @Arg('limit', () => Int, { description: 'At most this many calls (default 100)', defaultValue: 100 })
    limit: number,
  ): Promise<EndedCall[]> {
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
      throw badInput('limit must be from 1 to 1000', 'limit');
    // A switchover pair's calls are its unit's: either member lists them.
    return (await this.service.endedCalls([server.unitId], limit)).get(server.unitId) ?? [];
  }
}
