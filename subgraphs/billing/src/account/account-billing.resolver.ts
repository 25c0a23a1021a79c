import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { type Clock } from '@lic/shared';
import { type Context } from '../context.js';
import { BillingBasisEnum } from '../enums.js';
import { UsageUploadStatus } from '../usage-file/usage-file.types.js';
import { BillingPeriod } from '../period/billing-period.types.js';
import { billingPeriodAt, billingPeriodStarting } from '../rules/billing-period.js';
import { Account } from './account.types.js';
import { type BillingBasis } from './billing-account.entity.js';
import { type BillingAccountService } from './billing-account.service.js';

@Resolver(() => Account)
export class AccountBillingResolver {
  constructor(
    private readonly service: BillingAccountService,
    private readonly clock: Clock,
  ) {}

  @FieldResolver(() => BillingPeriod, {
    nullable: true,
    description:
      'The billing period in progress (null, with an error naming billing, while billing is unavailable)',
  })
  async currentBillingPeriod(@Root() account: Account, @Ctx() ctx: Context): Promise<BillingPeriod> {
    await ctx.tenant.assertAccess(account.id);
    return billingPeriodAt(this.clock.now());
  }

  @FieldResolver(() => BillingBasisEnum, {
    nullable: true,
    description: 'What the account is billed for (NAMED unless set; null while billing is unavailable)',
  })
  async billingBasis(@Root() account: Account, @Ctx() ctx: Context): Promise<BillingBasis> {
    await ctx.tenant.assertAccess(account.id);
    return ctx.loaders.basis.load(account.id);
  }

  @FieldResolver(() => UsageUploadStatus, {
    nullable: true,
    description:
      "Where the account's usage uploads stand for a period (default: the last period that ended); flagged when late or missing after the 4th; null while billing is unavailable",
  })
  async usageUploadStatus(
    @Root() account: Account,
    @Arg('periodStart', () => Date, {
      description: 'The start of the billing period to report on (default: the last period that ended)',
      nullable: true,
    })
    periodStart: Date | undefined,
    @Ctx() ctx: Context,
  ): Promise<UsageUploadStatus> {
    await ctx.tenant.assertAccess(account.id);
    const current = billingPeriodAt(this.clock.now());
    const period = periodStart
      ? billingPeriodStarting(periodStart)
      : billingPeriodAt(new Date(current.start.getTime() - 1));
    const status = await ctx.loaders.uploadStatus.load(`${account.id}|${period.start.getTime()}`);
    return { period, ...status };
  }

  @Mutation(() => Account, { description: "Sets an account's billing basis (licensing team only)" })
  async setBillingBasis(
    @Arg('accountId', () => ID, { description: 'The account to change' }) accountId: string,
    @Arg('basis', () => BillingBasisEnum, { description: 'NAMED or CONCURRENT' }) basis: BillingBasis,
    @Ctx() ctx: Context,
  ): Promise<Account> {
    await this.service.setBasis(ctx.principal, accountId, basis);
    ctx.loaders.basis.clear(accountId);
    return { id: accountId };
  }
}
