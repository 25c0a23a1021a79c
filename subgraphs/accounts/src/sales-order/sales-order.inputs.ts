import { Field, ID, InputType, Int } from 'type-graphql';
import { type LicenseModel } from '@lic/shared';
import { LicenseModelEnum } from '../licensing-types.js';

@InputType({ description: 'A part ordered, with quantities' })
export class SalesOrderLineInput {
  @Field({ description: 'The part' })
  partNumber!: string;

  @Field(() => Int, { description: 'Units ordered as assignable licences' })
  assignedQuantity!: number;

  @Field(() => Int, { description: 'Units ordered as pooled (concurrent) licences', defaultValue: 0 })
  pooledQuantity!: number;
}

@InputType({ description: 'A new sales order' })
export class CreateSalesOrderInput {
  @Field(() => String, { nullable: true, description: 'Default: the next SO-nnnnnn' })
  orderNumber?: string | null;

  @Field(() => ID, { description: 'The account that uses what is ordered' })
  endUserAccountId!: string;

  @Field(() => ID, {
    nullable: true,
    description: 'Who was invoiced: a partner; default the end user (a direct sale)',
  })
  soldToAccountId?: string | null;

  @Field(() => LicenseModelEnum, { description: 'PERPETUAL or SUBSCRIPTION' })
  licenseModel!: LicenseModel;

  @Field(() => String, {
    nullable: true,
    description: 'The version the order entitles, e.g. "2020 R2" (default: any)',
  })
  productVersion?: string | null;

  @Field(() => Boolean, {
    description: 'Whether maintenance (software updates) is paid',
    nullable: true,
    defaultValue: false,
  })
  maintenancePaid?: boolean | null;

  @Field(() => Date, { description: 'Until when maintenance is paid', nullable: true })
  maintenancePaidUntil?: Date | null;

  @Field(() => Boolean, {
    nullable: true,
    defaultValue: false,
    description: 'Upgrades of this estate mirror',
  })
  mirroring?: boolean | null;

  @Field(() => Date, {
    nullable: true,
    description: 'Subscription with virtual cloud: the ramp date files carry',
  })
  rampDate?: Date | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Subscription with virtual cloud: the grace period files carry',
  })
  gracePeriodDays?: number | null;

  @Field(() => [SalesOrderLineInput], { description: 'The parts ordered, with quantities' })
  lines!: SalesOrderLineInput[];
}

@InputType({ description: "An account's parts to move to a newer product version" })
export class UpgradeSoftwareInput {
  @Field(() => ID, { description: 'The account to upgrade' })
  accountId!: string;

  @Field({ description: 'The version to upgrade to, e.g. "2020 R2"' })
  productVersion!: string;

  @Field(() => [String], {
    description: 'Parts with an upgrade option (all of them where mirroring is available)',
  })
  partNumbers!: string[];
}
