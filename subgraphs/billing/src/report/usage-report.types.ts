import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { type BillingBasis } from '../account/billing-account.entity.js';
import { BillingBasisEnum, UsageCategoryEnum } from '../enums.js';
import { BillingPeriod } from '../period/billing-period.types.js';
import { type UsageCategory } from '../rules/categories.js';

@ObjectType({ description: 'One billing category of a monthly usage report' })
export class UsageReportLine {
  @Field(() => UsageCategoryEnum, { description: 'The billing category' })
  category!: UsageCategory;

  @Field(() => Int, {
    description: 'Distinct users with an active session in the category during the period',
  })
  namedUsers!: number;

  @Field(() => Int, { description: 'Most users active in the category at one instant' })
  peakConcurrent!: number;

  @Field(() => Date, { nullable: true, description: 'When the peak was first reached' })
  peakAt!: Date | null;

  @Field(() => Int, {
    description:
      'Highest level of simultaneous users reached or exceeded for the threshold (30 minutes by default) in total',
  })
  billableConcurrent!: number;

  @Field(() => Float, { description: "Sum of the users' active time in the period, in hours" })
  activeHours!: number;

  @Field(() => Int, {
    description: "What is billed: namedUsers or billableConcurrent, by the account's basis",
  })
  billableQuantity!: number;
}

@ObjectType({
  description:
    "An account's usage for one billing period, per billing category: named users, peak and billable concurrent users",
})
export class UsageReport {
  @Field(() => ID, { description: 'The account reported on' })
  accountId!: string;

  @Field(() => BillingPeriod, { description: 'The billing period reported on' })
  period!: BillingPeriod;

  @Field(() => BillingBasisEnum, { description: 'What the account is billed for' })
  basis!: BillingBasis;

  @Field({ description: 'The version of the licence-to-category mapping used' })
  categoryVersion!: string;

  @Field(() => Int, { description: 'The billable-concurrent threshold, in minutes' })
  billableConcurrentMinutes!: number;

  @Field(() => Date, {
    description: 'The figures cover the period up to here (its end, or now while it runs)',
  })
  asOf!: Date;

  @Field({ description: 'True once the period has ended' })
  final!: boolean;

  @Field(() => [UsageReportLine], { description: 'AGENT and BUSINESS_USER always, add-ons that were used' })
  lines!: UsageReportLine[];
}
