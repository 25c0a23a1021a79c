import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { type LicenseModel, epochMs } from '@lic/shared';
import { Account } from '../account/account.entity.js';
import { LicenseModelEnum } from '../licensing-types.js';
import { Part } from '../part/part.entity.js';
import { UniqueColumn } from '../unique-column.js';

/** What Genesys sold: to whom it was invoiced (sold-to) and who uses it (end user). */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'A sales order: its lines entitle the end-user account to licences' })
@Entity({ name: 'sales_order' })
@UniqueColumn('sales_order', 'order_number', 'orderNumber')
export class SalesOrder {
  @Field(() => ID, { description: "The order's identifier" })
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Field({ description: 'The order number' })
  @Column({ name: 'order_number', type: 'varchar', length: 40 })
  orderNumber!: string;

  @Field(() => ID, { description: 'The account that uses what is ordered' })
  @Index('ix_sales_order_end_user')
  @ForeignKey(() => Account)
  @Column({ name: 'end_user_account_id', type: 'varchar', length: 36 })
  endUserAccountId!: string;

  @Field(() => ID, { description: 'Who was invoiced: a partner, or the end user itself' })
  @Index('ix_sales_order_sold_to')
  @ForeignKey(() => Account)
  @Column({ name: 'sold_to_account_id', type: 'varchar', length: 36 })
  soldToAccountId!: string;

  @Field(() => LicenseModelEnum, { description: 'PERPETUAL or SUBSCRIPTION' })
  @Column({ name: 'license_model', type: 'varchar', length: 20 })
  licenseModel!: LicenseModel;

  @Field(() => String, {
    nullable: true,
    description: 'The product version the order entitles (e.g. 2020 R2)',
  })
  @Column({ name: 'product_version', type: 'varchar', length: 40, nullable: true })
  productVersion!: string | null;

  @Field({ description: 'Whether maintenance (software updates) is paid' })
  @Column({ name: 'maintenance_paid', type: 'boolean', default: false })
  maintenancePaid!: boolean;

  @Field(() => Date, {
    nullable: true,
    description: 'Maintenance is paid up to this instant (open-ended when null)',
  })
  @Column({ name: 'maintenance_paid_until', type: 'bigint', nullable: true, transformer: epochMs })
  maintenancePaidUntil!: Date | null;

  @Field({ description: 'Upgrades mirror: every product with an upgrade option is upgraded together' })
  @Column({ type: 'boolean', default: false })
  mirroring!: boolean;

  @Field(() => Date, { nullable: true, description: 'Virtual cloud: no enforcement before this date' })
  @Column({ name: 'ramp_date', type: 'bigint', nullable: true, transformer: epochMs })
  rampDate!: Date | null;

  @Field(() => Int, { nullable: true, description: 'Virtual cloud: days per enforcement stage' })
  @Column({ name: 'grace_period_days', type: 'integer', nullable: true })
  gracePeriodDays!: number | null;

  @Field(() => Date, { description: 'When the order was recorded' })
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: Date;

  @Column({ name: 'created_by', type: 'varchar', length: 200 })
  createdBy!: string;
}

@ObjectType({ description: 'A part number with its assigned and pooled quantities' })
@Entity({ name: 'sales_order_line' })
export class SalesOrderLine {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Index('ix_sales_order_line_order')
  @ForeignKey(() => SalesOrder)
  @Column({ name: 'order_id', type: 'varchar', length: 36 })
  orderId!: string;

  @Column({ name: 'line_no', type: 'integer', default: 0 })
  lineNo!: number;

  @Field({ description: 'The part ordered' })
  @ForeignKey(() => Part)
  @Column({ name: 'part_number', type: 'varchar', length: 40 })
  partNumber!: string;

  @Field(() => Int, { description: 'Units that grant the keys themselves (assignable to users or stations)' })
  @Column({ name: 'assigned_quantity', type: 'integer', default: 0 })
  assignedQuantity!: number;

  @Field(() => Int, {
    description: 'Units that grant the _CONCURRENT twins (plus stations for access parts)',
  })
  @Column({ name: 'pooled_quantity', type: 'integer', default: 0 })
  pooledQuantity!: number;
}

/** An account's entitlement to one part under one licence model: ordered, and held by active files. */
@Entity({ name: 'ordered_item' })
@Index('uq_ordered_item', ['accountId', 'licenseModel', 'partNumber'], { unique: true })
export class OrderedItem {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @ForeignKey(() => Account)
  @Column({ name: 'account_id', type: 'varchar', length: 36 })
  accountId!: string;

  @Column({ name: 'license_model', type: 'varchar', length: 20 })
  licenseModel!: LicenseModel;

  @ForeignKey(() => Part)
  @Column({ name: 'part_number', type: 'varchar', length: 40 })
  partNumber!: string;

  @Column({ name: 'assigned_ordered', type: 'integer', default: 0 })
  assignedOrdered!: number;

  @Column({ name: 'pooled_ordered', type: 'integer', default: 0 })
  pooledOrdered!: number;

  @Column({ name: 'assigned_used', type: 'integer', default: 0 })
  assignedUsed!: number;

  @Column({ name: 'pooled_used', type: 'integer', default: 0 })
  pooledUsed!: number;

  /** Non-ordered development files this server item's units have granted (one each). */
  @Column({ name: 'dev_used', type: 'integer', default: 0 })
  devUsed!: number;

  @Column({ name: 'product_version', type: 'varchar', length: 40, nullable: true })
  productVersion!: string | null;

  @Column({ name: 'updated_at', type: 'bigint', transformer: epochMs })
  updatedAt!: Date;
}

@Entity({ name: 'counter' })
export class Counter {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  name!: string;

  @Column({ name: 'counter_value', type: 'bigint', default: 0 })
  value!: string | number;
}
