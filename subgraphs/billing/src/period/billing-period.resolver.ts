import { Arg, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { assertAccountAccess, requirePrincipal, type Clock } from '@lic/shared';
import { Account } from '../account/account.ref.js';
import { type Context } from '../context.js';
import { billingPeriodAt } from '../rules/billing-period.js';
import { BillingPeriod } from './billing-period.type.js';

@Resolver()
export class BillingPeriodResolver {
  constructor(private readonly clock: Clock) {}

  @Query(() => BillingPeriod, { description: 'The billing period containing `asOf` (default now)' })
  billingPeriod(
    @Arg('asOf', () => Date, { nullable: true }) asOf: Date | undefined,
    @Ctx() ctx: Context,
  ): BillingPeriod {
    requirePrincipal(ctx.principal);
    return billingPeriodAt(asOf ?? this.clock.now());
  }
}

@Resolver(() => Account)
export class AccountBillingResolver {
  constructor(private readonly clock: Clock) {}

  @FieldResolver(() => BillingPeriod, { description: 'The billing period in progress' })
  currentBillingPeriod(@Root() account: Account, @Ctx() ctx: Context): BillingPeriod {
    assertAccountAccess(ctx.principal, account.id);
    return billingPeriodAt(this.clock.now());
  }
}
