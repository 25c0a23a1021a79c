import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root, Subscription } from 'type-graphql';
import { type StageChangedPayload } from '@lic/shared';
import { assertCanSeeServer } from '../access/access.js';
import { type Context } from '../context.js';
import { Server } from '../status/server.ref.js';
import { subscribeToStageChanges, type StageChangeFilter } from './live.js';
import { EnforcementStageChange } from './stage-change.type.js';
import { fromHistoryRow, fromPayload } from './stage-change.view.js';

@Resolver(() => EnforcementStageChange)
export class StageChangeResolver {
  @Query(() => [EnforcementStageChange], { description: "A server's recorded stage changes, oldest first" })
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
    subscribe: ({ args, context }) => subscribeToStageChanges(args as StageChangeFilter, context as Context),
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

  @FieldResolver(() => Server, { description: 'The server whose stage changed' })
  server(@Root() change: EnforcementStageChange): Server {
    return { id: change.serverId };
  }
}
