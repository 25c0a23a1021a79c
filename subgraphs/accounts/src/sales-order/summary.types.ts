import { Field, Int, ObjectType } from 'type-graphql';
import { type LicenseModel } from '@lic/shared';
import { LicenseModelEnum } from '../licensing-types.js';
import { PartKind } from '../part/part-catalog.js';

@ObjectType({
  description: 'An ordered item of the account: what was ordered, what active files hold, what remains',
})
export class AccountSummaryLine {
  @Field({ description: 'The ordered part' })
  partNumber!: string;

  @Field({ description: "The part's description from the catalogue" })
  description!: string;

  @Field(() => PartKind, { description: "What the part's units become in an activation file" })
  kind!: PartKind;

  @Field(() => LicenseModelEnum, { description: 'The licence model of the orders the line sums' })
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

  @Field(() => Int, {
    description: 'Units ordered and not yet used by an active activation file (assigned and pooled together)',
  })
  remaining!: number;

  @Field(() => Int, { description: 'Assigned units ordered' })
  assignedOrdered!: number;

  @Field(() => Int, { description: 'Assigned units used by active activation files' })
  assignedUsed!: number;

  @Field(() => Int, { description: 'Assigned units still available for activation files' })
  assignedRemaining!: number;

  @Field(() => Int, { description: 'Pooled units ordered' })
  pooledOrdered!: number;

  @Field(() => Int, { description: 'Pooled units used by active activation files' })
  pooledUsed!: number;

  @Field(() => Int, { description: 'Pooled units still available for activation files' })
  pooledRemaining!: number;

  @Field(() => Int, {
    description: 'Server items: non-ordered development files granted by them (one per unit)',
  })
  developmentFilesUsed!: number;
}
