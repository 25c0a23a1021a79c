import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import { type Clock, requirePrincipal } from '@lic/shared';
import { type Context } from '../context.js';
import { billingPeriodAt } from '../rules/billing-period.js';
import { BillingPeriod } from './billing-period.types.js';

@Resolver()
export class BillingPeriodResolver {
  constructor(private readonly clock: Clock) {}

  @Query(() => BillingPeriod, { description: 'The billing period containing `asOf` (default now)' })
  billingPeriod(
    @Arg('asOf', () => Date, {
      description: 'The instant whose period to return (default now)',
      nullable: true,
    })
    asOf: Date | undefined,
    @Ctx() ctx: Context,
  ): BillingPeriod {
    requirePrincipal(ctx.principal);
    return billingPeriodAt(asOf ?? this.clock.now());
  }
}
