import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root, Subscription } from 'type-graphql';
import {
  type Connection,
  ConnectionType,
  type ListOrder,
  PageArguments,
  type PageBounds,
  type StageChangedPayload,
  boundSubscription,
  pageOf,
} from '@lic/shared';
import { assertCanSeeServer } from '../access/access.js';
import { type Context } from '../context.js';
import { Server } from '../status/server.types.js';
import { subscribeToStageChanges, type StageChangeFilter, type StageChangeSources } from './live.js';
import { type StageChangeRow } from './stage-change.entity.js';
import { EnforcementStageChange } from './stage-change.types.js';
import { fromHistoryRow, fromPayload } from './stage-change.view.js';

export const EnforcementStageChangeConnection = ConnectionType(
  EnforcementStageChange,
  'EnforcementStageChange',
  'recorded stage change',
);

/** A server's stage changes in the order recorded (its sequence number). */
export const STAGE_HISTORY_ORDER: ListOrder<StageChangeRow> = {
  list: 'enforcementHistory',
  direction: 'ASC',
  key: (row) => row.seq,
  id: (row) => row.serverId,
};

@Resolver(() => EnforcementStageChange)
export class StageChangeResolver {
  constructor(
    private readonly sources: StageChangeSources,
    /** Page sizes of connections (config `pagination`); the defaults when absent. */
    private readonly pageBounds: PageBounds | undefined,
  ) {}

  @Query(() => EnforcementStageChangeConnection, {
    description: "A page of a server's recorded stage changes, oldest first",
  })
  async enforcementHistoryConnection(
    @Arg('serverId', () => ID, { description: 'The server' }) serverId: string,
    @Args(() => PageArguments) page: PageArguments,
    @Ctx() ctx: Context,
  ): Promise<Connection<EnforcementStageChange>> {
    const row = await assertCanSeeServer(ctx.tenant, await ctx.loaders.server.load(serverId), serverId);
    const rows = await ctx.loaders.history.load(row.serverId);
    const { edges, pageInfo } = pageOf(rows, page, STAGE_HISTORY_ORDER, this.pageBounds);
    return { edges: edges.map((e) => ({ cursor: e.cursor, node: fromHistoryRow(e.node) })), pageInfo };
  }

  @Query(() => [EnforcementStageChange], {
    description: "A server's recorded stage changes, oldest first",
    deprecationReason: 'Use enforcementHistoryConnection; removed after one release',
  })
  async enforcementHistory(
    @Arg('serverId', () => ID, { description: 'The server' }) serverId: string,
    @Ctx() ctx: Context,
  ): Promise<EnforcementStageChange[]> {
    const row = await assertCanSeeServer(ctx.tenant, await ctx.loaders.server.load(serverId), serverId);
    return (await ctx.loaders.history.load(row.serverId)).map(fromHistoryRow);
  }

  @Subscription(() => EnforcementStageChange, {
    description:
      'Each stage change as it happens, of one server, of one account, or of every server the caller may see',
    // Served by subscribe below, bound to this instance when the schema is built (schema.ts).
    subscribe: boundSubscription,
  })
  enforcementStageChanged(
    @Root() change: StageChangedPayload,
    @Arg('serverId', () => ID, { description: 'Follow this server', nullable: true })
    _serverId: string | undefined,
    @Arg('accountId', () => ID, { description: 'Follow every server of this account', nullable: true })
    _accountId: string | undefined,
  ): EnforcementStageChange {
    return fromPayload(change);
  }

  /** The source of `enforcementStageChanged` (type-graphql's `subscribe` option has no instance). */
  subscribe(args: StageChangeFilter, ctx: Context): Promise<AsyncIterable<StageChangedPayload>> {
    return subscribeToStageChanges(args, ctx, this.sources);
  }

  @FieldResolver(() => Server, { description: 'The server whose stage changed' })
  server(@Root() change: EnforcementStageChange): Server {
    return { id: change.serverId };
  }
}
