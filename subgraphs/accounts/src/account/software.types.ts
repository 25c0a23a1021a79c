import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { type LicenseModel } from '@lic/shared';
import { LicenseModelEnum } from '../licensing-types.js';

export const SoftwareBlocker = {
  NO_ORDERS: 'NO_ORDERS',
  NOT_CERTIFIED: 'NOT_CERTIFIED',
  ROLE_MAY_NOT_GENERATE: 'ROLE_MAY_NOT_GENERATE',
  REQUEST_REQUIRED: 'REQUEST_REQUIRED',
  NOTHING_REMAINING: 'NOTHING_REMAINING',
  NO_ACTIVE_FILE: 'NO_ACTIVE_FILE',
} as const;
export type SoftwareBlocker = (typeof SoftwareBlocker)[keyof typeof SoftwareBlocker];
registerEnumType(SoftwareBlocker, {
  name: 'SoftwareBlocker',
  description: 'Why a file cannot be generated or downloaded',
  valuesConfig: {
    NO_ORDERS: { description: 'The account has no orders' },
    NOT_CERTIFIED: { description: 'The caller is not certified to generate files' },
    ROLE_MAY_NOT_GENERATE: { description: "The caller's role may not generate files" },
    REQUEST_REQUIRED: { description: 'Files for this account come only through an activation file request' },
    NOTHING_REMAINING: { description: 'Every ordered unit is already in an active file' },
    NO_ACTIVE_FILE: { description: 'There is no active file to download' },
  },
});

@ObjectType({
  description:
    "The Software Details tab: may the caller generate and download this account's files, and why not",
})
export class SoftwareDetails {
  @Field({ description: 'True when the account has orders' })
  hasOrders!: boolean;

  @Field(() => [LicenseModelEnum], { description: "The licence models of the account's orders" })
  licenseModels!: LicenseModel[];

  @Field({ description: 'Perpetual and subscription orders together: files come only through a request' })
  mixedEstate!: boolean;

  @Field({ description: 'I3_FEATURE_SU_ALLOWED (installing updates) and upgrades need paid maintenance' })
  maintenancePaid!: boolean;

  @Field(() => Date, {
    nullable: true,
    description: 'Latest paid-until of the paid orders (null: open-ended or unpaid)',
  })
  maintenancePaidUntil!: Date | null;

  @Field({ description: 'The caller holds a current CIC Core Technology Certification' })
  certified!: boolean;

  @Field({ description: 'True when the caller may generate an activation file now' })
  mayGenerate!: boolean;

  @Field({ description: "True when the caller may download the account's active files" })
  mayDownload!: boolean;

  @Field(() => [SoftwareBlocker], {
    description: 'Why the caller may not generate or download, if it may not',
  })
  blockers!: SoftwareBlocker[];

  @Field(() => [String], { description: 'The blockers and notes in words' })
  reasons!: string[];
}

@ObjectType({ description: 'An ordered part on the Upgrade Software tab' })
export class SoftwareItem {
  @Field({ description: 'The part ordered' })
  partNumber!: string;

  @Field({ description: 'What the part is' })
  description!: string;

  @Field(() => LicenseModelEnum, { description: 'PERPETUAL or SUBSCRIPTION' })
  licenseModel!: LicenseModel;

  @Field(() => String, { nullable: true, description: 'Licensed up to this version (null: any)' })
  productVersion!: string | null;

  @Field(() => Int, { description: 'Units ordered' })
  ordered!: number;
}

@ObjectType({ description: 'The Upgrade Software tab: parts with and without upgrade options' })
export class SoftwareUpgrades {
  @Field({ description: 'When true, every product with an upgrade option must be upgraded together' })
  mirroringAvailable!: boolean;

  @Field({ description: 'True when maintenance is paid (upgrades need it)' })
  maintenancePaid!: boolean;

  @Field(() => [SoftwareItem], { description: 'Ordered parts that can move to a newer product version' })
  withUpgradeOption!: SoftwareItem[];

  @Field(() => [SoftwareItem], { description: 'Ordered parts that cannot' })
  withoutUpgradeOption!: SoftwareItem[];
}
