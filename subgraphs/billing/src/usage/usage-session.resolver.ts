import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { USAGE_READERS, assertServerAccess } from '../access.js';
import { Server } from '../account/server.ref.js';
import { type Context } from '../context.js';
import { TrackingMode } from '../tracking/tracking-mode.js';
import { UsageSession } from './usage-session.type.js';

@Resolver(() => UsageSession)
export class UsageSessionResolver {
  @Query(() => [UsageSession], {
    description:
      'Tracked active sessions of a server (or one of its users) overlapping [from, to); default from the start of the current billing period until now',
  })
  async usageSessions(
    @Arg('serverId', () => ID, { description: 'The server' }) serverId: string,
    @Arg('userId', () => ID, { description: "Only this user's sessions", nullable: true })
    userId: string | undefined,
    @Arg('from', () => Date, {
      description: 'Sessions overlapping from this instant (default the start of the current billing period)',
      nullable: true,
    })
    from: Date | undefined,
    @Arg('to', () => Date, {
      description: 'Sessions overlapping until this instant (exclusive; default now)',
      nullable: true,
    })
    to: Date | undefined,
    @Arg('limit', () => Int, {
      nullable: true,
      description: 'At most this many sessions (default 1000, at most 10000)',
    })
    limit: number | undefined,
    @Ctx() ctx: Context,
  ): Promise<UsageSession[]> {
    await assertServerAccess(ctx.tenant, serverId, await ctx.loaders.server.load(serverId), [
      ...USAGE_READERS,
      'SERVER',
    ]);
    return ctx.services.sessions.list({ serverId, userId, from, to, limit });
  }
}

@Resolver(() => Server)
export class ServerUsageResolver {
  @FieldResolver(() => TrackingMode, {
    nullable: true,
    description:
      "How the server's usage is collected now, from its licence (NONE: not collected; null while billing is unavailable)",
  })
  async usageTracking(@Root() server: Server, @Ctx() ctx: Context): Promise<TrackingMode> {
    await assertServerAccess(ctx.tenant, server.id, await ctx.loaders.server.load(server.id), [
      ...USAGE_READERS,
      'SERVER',
    ]);
    return ctx.loaders.trackingMode.load(server.id);
  }
}
