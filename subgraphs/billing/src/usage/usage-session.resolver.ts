import { Arg, Args, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import {
  type Connection,
  ConnectionType,
  type ListOrder,
  PageArguments,
  type PageBounds,
  pageOf,
} from '@lic/shared';
import { USAGE_READERS, assertServerAccess } from '../access.js';
import { Server } from '../account/server.types.js';
import { type Context } from '../context.js';
import { TrackingMode } from '../tracking/tracking-mode.js';
import { MAX_SESSION_LIMIT, type UsageSessionService } from './usage-session.service.js';
import { UsageSession } from './usage-session.types.js';

export const UsageSessionConnection = ConnectionType(UsageSession, 'UsageSession', 'tracked session');

/**
 * Tracked sessions oldest first, keyed (start, user id). A window is computed whole (at most
 * MAX_SESSION_LIMIT sessions) and paged in memory.
 */
export const USAGE_SESSION_ORDER: ListOrder<UsageSession> = {
  list: 'usageSessions',
  direction: 'ASC',
  key: (s) => s.start.getTime(),
  id: (s) => s.user.id,
};

@Resolver(() => UsageSession)
export class UsageSessionResolver {
  constructor(
    private readonly service: UsageSessionService,
    /** Page sizes of connections (config `pagination`); the defaults when absent. */
    private readonly pageBounds: PageBounds | undefined,
  ) {}

  @Query(() => UsageSessionConnection, {
    description:
      'A page of the tracked sessions of a server (or one of its users) overlapping [from, to), oldest first; default from the start of the current billing period until now',
  })
  async usageSessionsConnection(
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
    @Args(() => PageArguments) page: PageArguments,
    @Ctx() ctx: Context,
  ): Promise<Connection<UsageSession>> {
    await assertServerAccess(ctx.tenant, serverId, await ctx.loaders.server.load(serverId), [
      ...USAGE_READERS,
      'SERVER',
    ]);
    const sessions = await this.service.list({
      serverId,
      userId,
      from,
      to,
      limit: MAX_SESSION_LIMIT,
    });
    return pageOf(sessions, page, USAGE_SESSION_ORDER, this.pageBounds);
  }

  @Query(() => [UsageSession], {
    description:
      'Tracked active sessions of a server (or one of its users) overlapping [from, to); default from the start of the current billing period until now',
    deprecationReason: 'Use usageSessionsConnection; removed after one release',
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
    return this.service.list({ serverId, userId, from, to, limit });
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
