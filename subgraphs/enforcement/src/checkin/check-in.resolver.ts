import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { badInput } from '@lic/shared';
import { assertCanSeeServer } from '../access/access.js';
import { type Context } from '../context.js';
import { CheckInKind } from '../status/enums.js';
import { EnforcementStatus } from '../status/enforcement-status.type.js';
import { statusAt } from '../status/status-at.js';
import { type CheckInKindValue } from './check-in.entity.js';
import { CheckInService, MAX_CHECK_INS_LISTED } from './check-in.service.js';
import { EnforcementCheckIn } from './check-in.type.js';

@Resolver(() => EnforcementCheckIn)
export class CheckInResolver {
  constructor(private readonly service: CheckInService) {}

  @Mutation(() => EnforcementStatus, {
    description:
      'Records a check-in of a server with the cloud (its own credential, or LICENSING_ADMIN). A successful one returns the server to stage 1 and restarts the grace period; a failed one is recorded and changes nothing.',
  })
  async recordCheckIn(
    @Arg('serverId', () => ID) serverId: string,
    @Arg('success') success: boolean,
    @Arg('occurredAt', () => Date, {
      nullable: true,
      description: "The server's time of the check-in; default now",
    })
    occurredAt: Date | undefined,
    @Arg('kind', () => CheckInKind, { defaultValue: 'PERIODIC' }) kind: CheckInKindValue,
    @Ctx() ctx: Context,
  ): Promise<EnforcementStatus> {
    const row = await this.service.recordCheckIn(ctx.principal, { serverId, success, occurredAt, kind });
    return statusAt(ctx, row, ctx.services.enforcement.clock.now());
  }

  @Query(() => [EnforcementCheckIn], { description: "A server's latest check-in attempts, newest first" })
  async enforcementCheckIns(
    @Arg('serverId', () => ID) serverId: string,
    @Arg('limit', () => Int, { defaultValue: 50 }) limit: number,
    @Ctx() ctx: Context,
  ): Promise<EnforcementCheckIn[]> {
    if (limit < 1 || limit > MAX_CHECK_INS_LISTED)
      throw badInput(`limit must be 1 to ${MAX_CHECK_INS_LISTED}`, 'limit');
    const row = assertCanSeeServer(ctx.principal, await ctx.loaders.server.load(serverId), serverId);
    return ctx.loaders.checkIns(limit).load(row.serverId);
  }
}
