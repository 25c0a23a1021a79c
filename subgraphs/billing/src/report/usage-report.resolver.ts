import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { assertReportAccess } from '../access.js';
import { type Context } from '../context.js';
import { type UsageReportService } from './usage-report.service.js';
import { UsageReport } from './usage-report.types.js';

@Resolver(() => UsageReport)
export class UsageReportResolver {
  constructor(private readonly service: UsageReportService) {}

  @Query(() => UsageReport, {
    description: "An account's usage for the billing period starting at periodStart (a 28th, 00:00 UTC)",
  })
  async usageReport(
    @Arg('accountId', () => ID, { description: 'The account' }) accountId: string,
    @Arg('periodStart', () => Date, { description: 'The start of the billing period' }) periodStart: Date,
    @Ctx() ctx: Context,
  ): Promise<UsageReport> {
    await assertReportAccess(ctx.tenant, accountId);
    const basis = await ctx.loaders.basis.load(accountId);
    return this.service.report(accountId, periodStart, basis);
  }
}
