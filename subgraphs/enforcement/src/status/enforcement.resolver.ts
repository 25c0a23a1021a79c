import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { forbidden, requirePrincipal } from '@lic/shared';
import { assertCanSeeServer, canSeeServer } from '../access/access.js';
import { type Context } from '../context.js';
import { type DemoClock } from '../rules/demo-clock.js';
import { EnforcementStatus } from './enforcement-status.types.js';
import { EnforcementService } from './enforcement.service.js';
import { Server } from './server.types.js';
import { statusAt } from './status-at.js';

@Resolver()
export class EnforcementResolver {
  constructor(
    private readonly service: EnforcementService,
    /** The demo accounts' fast enforcement clock; real time when absent. */
    private readonly demoClock: DemoClock | undefined,
  ) {}

  @Query(() => EnforcementStatus, {
    description: 'The enforcement status of a server at `asOf` (default now)',
  })
  async enforcementStatus(
    @Arg('serverId', () => ID, { description: 'The server' }) serverId: string,
    @Arg('asOf', () => Date, { description: 'The instant to report on (default now)', nullable: true })
    asOf: Date | undefined,
    @Ctx() ctx: Context,
  ): Promise<EnforcementStatus> {
    const row = await assertCanSeeServer(ctx.tenant, await ctx.loaders.server.load(serverId), serverId);
    return statusAt(ctx, this.demoClock, row, asOf ?? this.service.clock.now());
  }
}

@Resolver(() => Server)
export class ServerEnforcementResolver {
  constructor(
    private readonly service: EnforcementService,
    /** The demo accounts' fast enforcement clock; real time when absent. */
    private readonly demoClock: DemoClock | undefined,
  ) {}

  @FieldResolver(() => EnforcementStatus, {
    nullable: true,
    description: 'The enforcement status at `asOf` (default now; null while enforcement is unavailable)',
  })
  async enforcementStatus(
    @Root() server: Server,
    @Arg('asOf', () => Date, { description: 'The instant to report on (default now)', nullable: true })
    asOf: Date | undefined,
    @Ctx() ctx: Context,
  ): Promise<EnforcementStatus> {
    const principal = requirePrincipal(ctx.principal);
    const row = await ctx.loaders.server.load(server.id);
    // A server enforcement has not heard of yet has no virtual-cloud licence here: not enforced.
    if (row && !canSeeServer(principal, row, await ctx.tenant.soldToFor(row.accountId)))
      throw forbidden('This server belongs to another tenant');
    return statusAt(ctx, this.demoClock, row, asOf ?? this.service.clock.now());
  }
}
