import { Arg, Args, Ctx, ID, Int, Query, Resolver, Root, Subscription } from 'type-graphql';
import { type Connection, PageArguments, type PageBounds, boundSubscription, notFound } from '@lic/shared';
import { LicenseDenialConnection } from '../connections.js';
import { type Context } from '../context.js';
import { LicenseDenial } from '../pool/denial.entity.js';
import { checkServerAccess } from '../server/access.js';
import { LicenseRecentDenials, LicenseUsagePoint, UsageResolution } from './history.types.js';
import { type ServerService } from '../server/server.service.js';
import { type UsageHistory } from './history.store.js';
import { LicenseStatistic, LicenseStatisticsUpdate } from './statistic.types.js';
import { type StatisticsFeed } from './statistics.publisher.js';
import { type StatisticsService } from './statistics.service.js';

@Resolver()
export class StatisticsResolver {
  constructor(
    private readonly statistics: StatisticsService,
    private readonly history: UsageHistory,
    private readonly servers: ServerService,
    private readonly feed: StatisticsFeed,
    /** Page sizes of connections (config `pagination`); the defaults when absent. */
    private readonly pageBounds: PageBounds | undefined,
  ) {}

  @Query(() => [LicenseStatistic], { description: "A server's licence statistics, one line per licence" })
  async licenseStatistics(
    @Arg('serverId', () => ID, { description: 'The server' }) serverId: string,
    @Ctx() ctx: Context,
  ): Promise<LicenseStatistic[]> {
    const server = await ctx.loaders.server.load(serverId);
    if (!server) throw notFound('Server', serverId);
    checkServerAccess(ctx.principal, server, 'read', await ctx.tenant.soldToFor(server.accountId));
    return ctx.loaders.statisticsByServer.load(server);
  }

  @Query(() => LicenseDenialConnection, {
    description: 'A page of the denial report: refused acquisitions with who and when, newest first',
  })
  licenseDenialsConnection(
    @Arg('serverId', () => ID, { description: 'The server' }) serverId: string,
    @Arg('key', () => String, { description: 'Only denials of this licence key', nullable: true })
    key: string | null,
    @Arg('from', () => Date, { description: 'Denials from this instant', nullable: true }) from: Date | null,
    @Arg('to', () => Date, { description: 'Denials before this instant (exclusive)', nullable: true })
    to: Date | null,
    @Args(() => PageArguments) page: PageArguments,
    @Ctx() ctx: Context,
  ): Promise<Connection<LicenseDenial>> {
    return this.statistics.denialsPage(ctx.principal, serverId, { key, from, to }, page, this.pageBounds);
  }

  @Query(() => [LicenseDenial], {
    description: 'The denial report: refused acquisitions with who and when, newest first',
    deprecationReason: 'Use licenseDenialsConnection; removed after one release',
  })
  licenseDenials(
    @Arg('serverId', () => ID, { description: 'The server' }) serverId: string,
    @Arg('key', () => String, { description: 'Only denials of this licence key', nullable: true })
    key: string | null,
    @Arg('from', () => Date, { description: 'Denials from this instant', nullable: true }) from: Date | null,
    @Arg('to', () => Date, { description: 'Denials before this instant (exclusive)', nullable: true })
    to: Date | null,
    @Arg('limit', () => Int, { description: 'At most this many denials', nullable: true })
    limit: number | null,
    @Ctx() ctx: Context,
  ): Promise<LicenseDenial[]> {
    return this.statistics.denials(ctx.principal, serverId, { key, from, to, limit });
  }

  @Query(() => [LicenseRecentDenials], {
    description:
      "A server's refused acquisitions per licence over the last hour and the last 24 hours (licences with none left out)",
  })
  licenseRecentDenials(
    @Arg('serverId', () => ID, { description: 'The server (a switchover pair answers for both members)' })
    serverId: string,
    @Ctx() ctx: Context,
  ): Promise<LicenseRecentDenials[]> {
    return this.statistics.recentDenials(ctx.principal, serverId);
  }

  @Query(() => [LicenseUsagePoint], {
    description:
      "A licence's usage history on a server, kept by the platform: one point per bucket of [from, to) from the first known, " +
      'at most 1500 points per call (BAD_USER_INPUT on field `to` beyond); buckets without a change carry the last in-use',
  })
  licenseUsageHistory(
    @Arg('serverId', () => ID, { description: 'The server' }) serverId: string,
    @Arg('key', () => String, { description: 'The licence (base key; a _CONCURRENT key means its licence)' })
    key: string,
    @Arg('from', () => Date, { description: 'Start of the range (the bucket holding it is the first)' })
    from: Date,
    @Arg('to', () => Date, { description: 'End of the range, exclusive; buckets after now are left out' })
    to: Date,
    @Arg('resolution', () => UsageResolution, { description: 'Minutes, hours or days' })
    resolution: UsageResolution,
    @Ctx() ctx: Context,
  ): Promise<LicenseUsagePoint[]> {
    return this.history.history(ctx.principal, serverId, key, from, to, resolution);
  }

  @Subscription(() => LicenseStatisticsUpdate, {
    description:
      "A server's statistics: first the current state, then after every change (bursts coalesced, latest state always last)",
    // Served by subscribe below, bound to this instance when the schema is built (schema.ts).
    subscribe: boundSubscription,
  })
  licenseStatisticsChanged(
    @Arg('serverId', () => ID, { description: 'The server to follow' }) _serverId: string,
    @Root() update: LicenseStatisticsUpdate,
  ): LicenseStatisticsUpdate {
    return update;
  }

  /** The source of `licenseStatisticsChanged` (type-graphql's `subscribe` option has no instance). */
  async subscribe(
    args: { serverId: string },
    context: Context,
  ): Promise<AsyncIterable<LicenseStatisticsUpdate>> {
    const [server] = await this.servers.byIds([args.serverId]);
    if (!server) throw notFound('Server', args.serverId);
    // Tenant scoping: a supervisor sees the servers of its own account only.
    checkServerAccess(context.principal, server, 'read', await context.tenant.soldToFor(server.accountId));
    return this.feed.stream(server.id);
  }
}
