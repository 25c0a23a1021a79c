import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { type Clock, badInput } from '@lic/shared';
import { assertCanSeeServer } from '../access/access.js';
import { type Context } from '../context.js';
import { type DemoClock } from '../rules/demo-clock.js';
import { CheckInKind } from '../status/enums.js';
import { EnforcementStatus } from '../status/enforcement-status.types.js';
import { statusAt } from '../status/status-at.js';
import { type CheckInKindValue } from './check-in.entity.js';
import { CheckInService, MAX_CHECK_INS_LISTED } from './check-in.service.js';
import { EnforcementCheckIn } from './check-in.types.js';

@Resolver(() => EnforcementCheckIn)
export class CheckInResolver {
  constructor(
    private readonly service: CheckInService,
    private readonly clock: Clock,
    /** The demo accounts' fast enforcement clock; real time when absent. */
    private readonly demoClock: DemoClock | undefined,
  ) {}

  @Mutation(() => EnforcementStatus, {
    description:
      "A server checks in with its own machine credential and the platform decides: good standing only when the loaded file is its current, active, unexpired revision, the subscription is active and the account is not on hold. A good check-in returns the server to stage 1 and restarts the grace period; a refused one is recorded with its reason (standingRefusal) and the stage timeline does not reset. `success` is only the server's report (false is recorded as a failed check); it never grants good standing. Prefer `checkIn`",
  })
  async recordCheckIn(
    @Arg('serverId', () => ID, { description: 'The server checking in (its own machine credential)' })
    serverId: string,
    @Arg('success', { description: "The server's own report of the check; never grants good standing" })
    success: boolean,
    @Arg('occurredAt', () => Date, {
      nullable: true,
      description: "The server's time of the check-in; default now",
    })
    occurredAt: Date | undefined,
    @Arg('kind', () => CheckInKind, {
      description: 'Periodic (default), at start-up, or after a switchover',
      defaultValue: 'PERIODIC',
    })
    kind: CheckInKindValue,
    @Ctx() ctx: Context,
  ): Promise<EnforcementStatus> {
    const { row, verdict } = await this.service.checkIn(ctx.principal, {
      serverId,
      success,
      occurredAt,
      kind,
    });
    return statusAt(ctx, this.demoClock, row, this.clock.now(), verdict);
  }

  @Mutation(() => EnforcementStatus, {
    description:
      'A server asks for good standing with its own machine credential; the platform answers (goodStanding, and standingRefusal with the reason on a refusal). A good check-in returns the server to stage 1 and restarts the grace period; every attempt is recorded',
  })
  async checkIn(
    @Arg('serverId', () => ID, { description: 'The server checking in (its own machine credential)' })
    serverId: string,
    @Arg('occurredAt', () => Date, {
      nullable: true,
      description: "The server's time of the check-in; default now",
    })
    occurredAt: Date | undefined,
    @Arg('kind', () => CheckInKind, {
      description: 'Periodic (default), at start-up, or after a switchover',
      defaultValue: 'PERIODIC',
    })
    kind: CheckInKindValue,
    @Ctx() ctx: Context,
  ): Promise<EnforcementStatus> {
    const { row, verdict } = await this.service.checkIn(ctx.principal, { serverId, occurredAt, kind });
    return statusAt(ctx, this.demoClock, row, this.clock.now(), verdict);
  }

  @Mutation(() => EnforcementStatus, {
    description:
      'Licensing team: grants a server good standing by hand, recorded with who and why (check-ins, kind OVERRIDE, and the stage history, cause OVERRIDE)',
  })
  async overrideGoodStanding(
    @Arg('serverId', () => ID, { description: 'The server to grant good standing' }) serverId: string,
    @Arg('reason', { description: 'Why (1 to 500 characters)' }) reason: string,
    @Ctx() ctx: Context,
  ): Promise<EnforcementStatus> {
    const { row, verdict } = await this.service.override(ctx.principal, serverId, reason);
    return statusAt(ctx, this.demoClock, row, this.clock.now(), verdict);
  }

  @Query(() => [EnforcementCheckIn], { description: "A server's latest check-in attempts, newest first" })
  async enforcementCheckIns(
    @Arg('serverId', () => ID, { description: 'The server' }) serverId: string,
    @Arg('limit', () => Int, { description: 'At most this many check-ins (default 50)', defaultValue: 50 })
    limit: number,
    @Ctx() ctx: Context,
  ): Promise<EnforcementCheckIn[]> {
    if (limit < 1 || limit > MAX_CHECK_INS_LISTED)
      throw badInput(`limit must be 1 to ${MAX_CHECK_INS_LISTED}`, 'limit');
    const row = await assertCanSeeServer(ctx.tenant, await ctx.loaders.server.load(serverId), serverId);
    const rows = await ctx.loaders.checkIns(limit).load(row.serverId);
    return rows.map((r) => Object.assign(new EnforcementCheckIn(), { ...r, by: r.actor }));
  }
}
