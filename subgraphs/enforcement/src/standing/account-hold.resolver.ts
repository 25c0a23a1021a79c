import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { forbidden, requirePrincipal } from '@lic/shared';
import { canSeeAccount } from '../access/access.js';
import { type Context } from '../context.js';
import { AccountHold } from './account-hold.types.js';
import { type AccountHoldRow } from './standing.entity.js';
import { StandingService } from './standing.service.js';

const view = (row: AccountHoldRow): AccountHold =>
  Object.assign(new AccountHold(), {
    id: row.id,
    accountId: row.accountId,
    reason: row.reason,
    placedBy: row.placedBy,
    placedAt: row.placedAt,
    inForce: row.openAccountId !== null,
    liftedBy: row.liftedBy,
    liftedAt: row.liftedAt,
    liftNote: row.liftNote,
  });

@Resolver(() => AccountHold)
export class AccountHoldResolver {
  constructor(private readonly service: StandingService) {}

  @Mutation(() => AccountHold, {
    description:
      'Licensing team: puts an account on hold with a reason; its servers get no good standing until the hold is lifted',
  })
  async placeAccountOnHold(
    @Arg('accountId', () => ID, { description: 'The account to put on hold' }) accountId: string,
    @Arg('reason', { description: 'Why (1 to 500 characters)' }) reason: string,
    @Ctx() ctx: Context,
  ): Promise<AccountHold> {
    return view(await this.service.placeHold(ctx.principal, accountId, reason));
  }

  @Mutation(() => AccountHold, { description: 'Licensing team: lifts the hold in force on an account' })
  async liftAccountHold(
    @Arg('accountId', () => ID, { description: 'The account whose hold is lifted' }) accountId: string,
    @Arg('note', () => String, { nullable: true, description: 'Why it is lifted (optional)' })
    note: string | null | undefined,
    @Ctx() ctx: Context,
  ): Promise<AccountHold> {
    return view(await this.service.liftHold(ctx.principal, accountId, note ?? null));
  }

  @Query(() => [AccountHold], {
    description:
      "An account's holds, newest first (in force and lifted): the licensing team and the account's own people",
  })
  async accountHolds(
    @Arg('accountId', () => ID, { description: 'The account' }) accountId: string,
    @Ctx() ctx: Context,
  ): Promise<AccountHold[]> {
    const p = requirePrincipal(ctx.principal);
    if (!canSeeAccount(p, accountId, await ctx.tenant.soldToFor(accountId)))
      throw forbidden('This account belongs to another tenant');
    return (await this.service.holdHistory(accountId)).map(view);
  }
}
