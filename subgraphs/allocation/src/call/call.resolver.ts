import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import { badInput } from '@lic/shared';
import { type Context } from '../context.js';
import { Server } from '../server/server.entity.js';
import { CallService } from './call.service.js';
import { CallPortStatus } from './call.types.js';
import { EndedCall } from './ended-call.entity.js';

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
