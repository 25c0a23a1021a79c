import { Field, ID, InputType, Int } from 'type-graphql';
import { z } from 'zod';
import {
  LICENSE_MODELS,
  LICENSE_TYPES,
  type LicenseModel,
  type LicenseType,
  inputClassMatches,
  optionalTextSchema,
  textSchema,
  validDateSchema,
  wholeNumberSchema,
} from '@lic/shared';
import { ActiveFilter, LicenseModelEnum, LicenseTypeEnum } from '../licensing-types.js';
import { MAX_LINE_QUANTITY } from '../validation.js';
import { releaseRank } from './rules.js';

/*
 * The activation file inputs' rules that need no database. The planner (planner.ts) applies them
 * piece by piece, in its order, to the specification it plans: a new file's input, or an update's
 * changes laid over the stored file; the rules about content (catalog, orders, licence rules) are its own.
 */

/** The Machine Details section, in the order the planner checks it. */
export const machineSchema = z.object({
  mailConnector: optionalTextSchema('The mail connector', 256),
  hostId: optionalTextSchema('The host ID', 256),
  machineName: textSchema('The machine name', 256),
  systemType: textSchema('The system type', 256),
});

/** The Switchover Machine section (its server item is a catalog rule: the planner's). */
export const switchoverMachineSchema = z.object({
  serverItem: z.string(),
  machineName: textSchema('The switchover machine name', 256),
  systemType: optionalTextSchema('The switchover system type', 256),
  hostId: optionalTextSchema('The switchover host ID', 256),
});

/** An item's quantities (its part is a catalog rule: the planner's). */
export const activationFileItemSchema = z.object({
  partNumber: z.string(),
  assignedQuantity: wholeNumberSchema('The assigned quantity', 0, MAX_LINE_QUANTITY),
  pooledQuantity: wholeNumberSchema('The pooled quantity', 0, MAX_LINE_QUANTITY),
});

export const productSchema = textSchema('The product', 256);
/** A product version releaseRank knows; parses to the version and its rank. */
export const productVersionSchema = textSchema('The product version', 40).transform((version, ctx) => {
  const rank = releaseRank(version);
  if (rank === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: 'The product version must look like "4.0", "2020 R2" or "2020 R2 Patch 3"',
    });
    return z.NEVER;
  }
  return { version, rank };
});
export const serverItemSchema = textSchema('The server item', 40);
export const rampDateSchema = validDateSchema('The ramp date');
export const gracePeriodDaysSchema = wholeNumberSchema('The grace period', 1, 3650);

/** Every input of the New Activation File tab. */
export const generateActivationFileSchema = z.object({
  installSiteId: z.string(),
  product: productSchema,
  productVersion: productVersionSchema,
  licenseType: z.enum(LICENSE_TYPES),
  licenseModel: z.enum(LICENSE_MODELS).nullish(),
  machine: machineSchema,
  serverItem: serverItemSchema,
  switchover: switchoverMachineSchema.nullish(),
  provideSwitchoverLater: z.boolean().nullish(),
  items: z.array(activationFileItemSchema).nullish(),
  addOnItems: z.array(activationFileItemSchema).nullish(),
  rampDate: rampDateSchema.nullish(),
  gracePeriodDays: gracePeriodDaysSchema.nullish(),
});

/** An update: everything left out stays; `switchover: null` removes the switchover machine. */
export const updateActivationFileSchema = z.object({
  product: productSchema.nullish(),
  productVersion: productVersionSchema.nullish(),
  machine: machineSchema.nullish(),
  serverItem: serverItemSchema.nullish(),
  switchover: switchoverMachineSchema.nullish(),
  provideSwitchoverLater: z.boolean().nullish(),
  items: z.array(activationFileItemSchema).nullish(),
  addOnItems: z.array(activationFileItemSchema).nullish(),
  rampDate: rampDateSchema.nullish(),
  gracePeriodDays: gracePeriodDaysSchema.nullish(),
});
export type UpdateActivationFile = z.input<typeof updateActivationFileSchema>;

/** The activity filters' one rule: a range that does not end before it starts. */
export const activationFileFilterSchema = z
  .object({
    installSiteId: z.string().nullish(),
    generatedFrom: z.date().nullish(),
    generatedTo: z.date().nullish(),
    active: z.enum(ActiveFilter).nullish(),
    productLine: z.string().nullish(),
    licenseType: z.enum(LICENSE_TYPES).nullish(),
    generatedBy: z.string().nullish(),
    machineName: z.string().nullish(),
  })
  .refine(
    (filter) =>
      !(
        filter.generatedFrom &&
        filter.generatedTo &&
        filter.generatedFrom.getTime() > filter.generatedTo.getTime()
      ),
    { error: 'generatedTo must not be before generatedFrom', path: ['generatedTo'] },
  );
/** The filters of the Activation File Activity tab. */
export type ActivationFileFilter = z.input<typeof activationFileFilterSchema>;

@InputType({ description: 'The Machine Details section' })
export class MachineInput {
  @Field(() => String, {
    nullable: true,
    description:
      'From the GetHostID utility; may be left out only by SUBSCRIPTION + I3_FEATURE_VIRTUAL_CLOUD files of 2020 R2 or later',
  })
  hostId?: string | null;

  @Field({ description: "The machine's name" })
  machineName!: string;

  @Field({ description: 'e.g. "Media Server Based"' })
  systemType!: string;

  @Field(() => String, { description: 'The mail connector the server uses', nullable: true })
  mailConnector?: string | null;
}

@InputType({ description: 'The Switchover Machine section' })
export class SwitchoverMachineInput {
  @Field(() => String, { description: "The switchover machine's host id", nullable: true })
  hostId?: string | null;

  @Field({ description: "The switchover machine's name" })
  machineName!: string;

  @Field(() => String, { description: "The switchover machine's operating system type", nullable: true })
  systemType?: string | null;

  @Field({ description: 'Part number of the switchover server item (a production server)' })
  serverItem!: string;
}

@InputType({ description: 'An ordered part and how many of its units the file takes' })
export class ActivationFileItemInput {
  @Field({ description: 'The part to include' })
  partNumber!: string;

  @Field(() => Int, { description: 'Units to grant as assignable licences (taken from the orders)' })
  assignedQuantity!: number;

  @Field(() => Int, {
    description: 'Units to grant as pooled (concurrent) licences (taken from the orders)',
    defaultValue: 0,
  })
  pooledQuantity!: number;
}

@InputType({ description: 'Every input of the New Activation File tab' })
export class GenerateActivationFileInput {
  @Field(() => ID, { description: 'The install site whose server will load the file' })
  installSiteId!: string;

  @Field({ description: 'The product line, e.g. "PureConnect CIC"' })
  product!: string;

  @Field({ description: '"4.0", "2020 R2", "2020 R2 Patch 3" ...' })
  productVersion!: string;

  @Field(() => LicenseTypeEnum, { description: 'Production, development, trial or evaluation' })
  licenseType!: LicenseType;

  @Field(() => LicenseModelEnum, {
    nullable: true,
    description: "Default: the account's orders' model (required for a mixed estate)",
  })
  licenseModel?: LicenseModel | null;

  @Field(() => MachineInput, { description: 'The machine the file is locked to' })
  machine!: MachineInput;

  @Field({
    description:
      'Part number of the one server item: a server part (PRODUCTION, TRIAL), the granting production server (non-ordered development), the development part (ordered development) or the evaluation part',
  })
  serverItem!: string;

  @Field(() => SwitchoverMachineInput, {
    description: 'The switchover machine, for a switchover pair',
    nullable: true,
  })
  switchover?: SwitchoverMachineInput | null;

  @Field(() => Boolean, {
    nullable: true,
    defaultValue: false,
    description: '"Provide switchover information at another time"',
  })
  provideSwitchoverLater?: boolean | null;

  @Field(() => [ActivationFileItemInput], {
    nullable: true,
    description: 'Access, feature and session parts with quantities',
  })
  items?: ActivationFileItemInput[] | null;

  @Field(() => [ActivationFileItemInput], {
    nullable: true,
    description: 'The "Select Any Add-on Items" section',
  })
  addOnItems?: ActivationFileItemInput[] | null;

  @Field(() => Date, {
    nullable: true,
    description: "Virtual cloud: default the order's ramp date, else now",
  })
  rampDate?: Date | null;

  @Field(() => Int, {
    nullable: true,
    description: "Virtual cloud: default the order's grace period, else 7 days",
  })
  gracePeriodDays?: number | null;
}

@InputType({
  description: 'What to change; everything left out stays. The file keeps its id, type and validity.',
})
export class UpdateActivationFileInput {
  @Field(() => String, { description: 'The product line', nullable: true })
  product?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Upgrade the file to a newer version the account is licensed for',
  })
  productVersion?: string | null;

  @Field(() => MachineInput, { description: 'The machine the file is locked to', nullable: true })
  machine?: MachineInput | null;

  @Field(() => String, { description: 'Part number of the server item', nullable: true })
  serverItem?: string | null;

  @Field(() => SwitchoverMachineInput, {
    nullable: true,
    description: 'Set to add the switchover machine; null removes it',
  })
  switchover?: SwitchoverMachineInput | null;

  @Field(() => Boolean, { description: 'Provide the switchover machine at another time', nullable: true })
  provideSwitchoverLater?: boolean | null;

  @Field(() => [ActivationFileItemInput], {
    nullable: true,
    description: 'Replaces the items (quantities are re-taken)',
  })
  items?: ActivationFileItemInput[] | null;

  @Field(() => [ActivationFileItemInput], {
    description: 'Replaces the add-on items (quantities are re-taken)',
    nullable: true,
  })
  addOnItems?: ActivationFileItemInput[] | null;

  @Field(() => Date, { description: 'Virtual cloud: no enforcement before this date', nullable: true })
  rampDate?: Date | null;

  @Field(() => Int, { description: 'Virtual cloud: days per enforcement stage', nullable: true })
  gracePeriodDays?: number | null;
}

@InputType('ActivationFileFilter', {
  description: 'The filters of the Activation File Activity tab; all optional and combined',
})
export class ActivationFileFilterInput {
  @Field(() => ID, { nullable: true, description: 'One install site (default: all)' })
  installSiteId?: string | null;

  @Field(() => Date, { nullable: true, description: 'Generated at or after' })
  generatedFrom?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Generated at or before' })
  generatedTo?: Date | null;

  @Field(() => ActiveFilter, {
    description: 'YES active only, NO inactive only, ALL both',
    nullable: true,
    defaultValue: ActiveFilter.ALL,
  })
  active?: ActiveFilter | null;

  @Field(() => String, { nullable: true, description: 'The product line (case-insensitive)' })
  productLine?: string | null;

  @Field(() => LicenseTypeEnum, { description: 'Only files of this licence type', nullable: true })
  licenseType?: LicenseType | null;

  @Field(() => String, { nullable: true, description: 'Who generated it (token subject)' })
  generatedBy?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The machine (or switchover machine) name, case-insensitive',
  })
  machineName?: string | null;
}

inputClassMatches<ActivationFileFilterInput, typeof activationFileFilterSchema>(true);
inputClassMatches<MachineInput, typeof machineSchema>(true);
inputClassMatches<SwitchoverMachineInput, typeof switchoverMachineSchema>(true);
inputClassMatches<ActivationFileItemInput, typeof activationFileItemSchema>(true);
inputClassMatches<GenerateActivationFileInput, typeof generateActivationFileSchema>(true);
inputClassMatches<UpdateActivationFileInput, typeof updateActivationFileSchema>(true);
