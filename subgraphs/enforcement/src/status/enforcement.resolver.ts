import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { canAccessAccount, requirePrincipal } from '@lic/shared';
import { type Context } from '../context.js';
import { EnforcementStatus } from './enforcement-status.type.js';
import { EnforcementService } from './enforcement.service.js';
import { Server } from './server.ref.js';

@Resolver()
export class EnforcementResolver {
  constructor(private readonly service: EnforcementService) {}

  @Query(() => EnforcementStatus, { description: 'The stage of a server at `asOf` (default now)' })
  async enforcementStatus(
    @Arg('serverId', () => ID) serverId: string,
    @Arg('asOf', () => Date, { nullable: true }) asOf: Date | undefined,
    @Ctx() ctx: Context,
  ): Promise<EnforcementStatus> {
    const row = this.service.assertVisible(ctx.principal, await ctx.loaders.server.load(serverId), serverId);
    return this.service.status(row, asOf ?? this.service.clock.now());
  }
}

@Resolver(() => Server)
export class ServerEnforcementResolver {
  constructor(private readonly service: EnforcementService) {}

  @FieldResolver(() => EnforcementStatus)
  async enforcementStatus(
    @Root() server: Server,
    @Arg('asOf', () => Date, { nullable: true }) asOf: Date | undefined,
    @Ctx() ctx: Context,
  ): Promise<EnforcementStatus> {
    const principal = requirePrincipal(ctx.principal);
    const row = await ctx.loaders.server.load(server.id);
    const visible = row && (canAccessAccount(principal, row.accountId) || principal.serverId === server.id) ? row : null;
    return this.service.status(visible, asOf ?? this.service.clock.now());
  }
}
