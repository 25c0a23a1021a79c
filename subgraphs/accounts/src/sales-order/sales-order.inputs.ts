import { Field, ID, InputType, Int } from 'type-graphql';
import { z } from 'zod';
import {
  LICENSE_MODELS,
  type LicenseModel,
  inputClassMatches,
  optionalTextSchema,
  validDateSchema,
  wholeNumberSchema,
} from '@lic/shared';
import { releaseRank } from '../activation-file/rules.js';
import { LicenseModelEnum } from '../licensing-types.js';
import { MAX_LINE_QUANTITY } from '../validation.js';

/** Lines of one order. */
const MAX_LINES = 500;
const ORDER_NUMBER = /^[A-Za-z0-9][A-Za-z0-9-]{0,39}$/;
const VERSION_SHAPE = 'The product version must look like "4.0" or "2020 R2"';

/** A product version releaseRank knows ("4.0", "2020 R2", "2020 R2 Patch 3"). */
export const productVersionSchema = z.string().refine((version) => releaseRank(version) !== undefined, {
  error: VERSION_SHAPE,
});

/** A line's quantities; the part (catalog) and what it may pool the service checks. */
export const salesOrderLineSchema = z.object({
  partNumber: z.string(),
  assignedQuantity: wholeNumberSchema('The assigned quantity', 0, MAX_LINE_QUANTITY),
  pooledQuantity: wholeNumberSchema('The pooled quantity', 0, MAX_LINE_QUANTITY),
});
export type OrderLineInput = z.output<typeof salesOrderLineSchema>;

/**
 * Every rule of a new order that needs neither the database, the catalog nor the clock (that paid
 * maintenance ends ahead, and its pairing with maintenancePaid, the service checks with the clock).
 */
export const createSalesOrderSchema = z
  .object({
    orderNumber: optionalTextSchema('The order number', 40).refine(
      (number) => number === null || ORDER_NUMBER.test(number),
      { error: 'The order number must be letters, digits and dashes' },
    ),
    endUserAccountId: z.string(),
    soldToAccountId: z.string().nullish(),
    licenseModel: z.enum(LICENSE_MODELS, { error: 'licenseModel must be PERPETUAL or SUBSCRIPTION' }),
    productVersion: optionalTextSchema('The product version', 40).refine(
      (version) => version === null || releaseRank(version) !== undefined,
      { error: VERSION_SHAPE },
    ),
    maintenancePaid: z.boolean().nullish(),
    maintenancePaidUntil: validDateSchema('maintenancePaidUntil').nullish(),
    mirroring: z.boolean().nullish(),
    rampDate: validDateSchema('The ramp date').nullish(),
    gracePeriodDays: wholeNumberSchema('The grace period', 1, 3650).nullish(),
    lines: z
      .array(salesOrderLineSchema)
      .min(1, { error: 'An order needs at least one line' })
      .max(MAX_LINES, { error: `An order has at most ${MAX_LINES} lines` }),
  })
  .superRefine((order, ctx) => {
    const rampDate = order.rampDate ?? null;
    const grace = order.gracePeriodDays ?? null;
    if ((rampDate || grace !== null) && order.licenseModel !== 'SUBSCRIPTION') {
      ctx.addIssue({
        code: 'custom',
        message: 'A ramp date and grace period belong to subscription (virtual cloud) orders only',
        path: [rampDate ? 'rampDate' : 'gracePeriodDays'],
      });
    }
  });
export type CreateSalesOrder = z.input<typeof createSalesOrderSchema>;

/** An upgrade's rules that need no database: a known version shape, at least one part. */
export const upgradeSoftwareSchema = z.object({
  accountId: z.string(),
  productVersion: productVersionSchema,
  partNumbers: z.array(z.string()).min(1, { error: 'Choose at least one part to upgrade' }),
});
export type UpgradeSoftware = z.input<typeof upgradeSoftwareSchema>;

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

inputClassMatches<SalesOrderLineInput, typeof salesOrderLineSchema>(true);
inputClassMatches<CreateSalesOrderInput, typeof createSalesOrderSchema>(true);
inputClassMatches<UpgradeSoftwareInput, typeof upgradeSoftwareSchema>(true);
