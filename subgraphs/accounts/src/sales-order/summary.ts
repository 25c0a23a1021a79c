import { Field, Int, ObjectType } from 'type-graphql';
import { type LicenseModel } from '@lic/shared';
import { PartKind } from '../catalog/index.js';
import { LicenseModelEnum } from '../licensing-types.js';
import { type Catalog } from '../part/catalog.js';
import { type OrderedItem } from './sales-order.entity.js';

@ObjectType({
  description: 'An ordered item of the account: what was ordered, what active files hold, what remains',
})
export class AccountSummaryLine {
  @Field()
  partNumber!: string;

  @Field()
  description!: string;

  @Field(() => PartKind)
  kind!: PartKind;

  @Field(() => LicenseModelEnum)
  licenseModel!: LicenseModel;

  @Field(() => String, {
    nullable: true,
    description: 'The product version this part is licensed up to (null: any)',
  })
  productVersion!: string | null;

  @Field(() => Int, { description: 'assignedOrdered + pooledOrdered' })
  ordered!: number;

  @Field(() => Int, { description: 'Held by active activation files' })
  used!: number;

  @Field(() => Int)
  remaining!: number;

  @Field(() => Int)
  assignedOrdered!: number;

  @Field(() => Int)
  assignedUsed!: number;

  @Field(() => Int)
  assignedRemaining!: number;

  @Field(() => Int)
  pooledOrdered!: number;

  @Field(() => Int)
  pooledUsed!: number;

  @Field(() => Int)
  pooledRemaining!: number;

  @Field(() => Int, {
    description: 'Server items: non-ordered development files granted by them (one per unit)',
  })
  developmentFilesUsed!: number;
}

export function summaryLine(item: OrderedItem, catalog: Catalog): AccountSummaryLine {
  const part = catalog.find(item.partNumber);
  const ordered = item.assignedOrdered + item.pooledOrdered;
  const used = item.assignedUsed + item.pooledUsed;
  return {
    partNumber: item.partNumber,
    description: part?.description ?? item.partNumber,
    kind: part?.kind ?? PartKind.FEATURE,
    licenseModel: item.licenseModel,
    productVersion: item.productVersion,
    ordered,
    used,
    remaining: ordered - used,
    assignedOrdered: item.assignedOrdered,
    assignedUsed: item.assignedUsed,
    assignedRemaining: item.assignedOrdered - item.assignedUsed,
    pooledOrdered: item.pooledOrdered,
    pooledUsed: item.pooledUsed,
    pooledRemaining: item.pooledOrdered - item.pooledUsed,
    developmentFilesUsed: item.devUsed,
  };
}

/** Catalogue order, then licence model: the order the Account Summary tab lists items in. */
export function summaryLines(items: readonly OrderedItem[], catalog: Catalog): AccountSummaryLine[] {
  const position = new Map(catalog.parts.map((p, i) => [p.partNumber, i]));
  return [...items]
    .sort(
      (a, b) =>
        (position.get(a.partNumber) ?? Infinity) - (position.get(b.partNumber) ?? Infinity) ||
        a.licenseModel.localeCompare(b.licenseModel),
    )
    .map((item) => summaryLine(item, catalog));
}
