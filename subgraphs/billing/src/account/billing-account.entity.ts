import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs } from '@lic/shared';

export type BillingBasis = 'NAMED' | 'CONCURRENT';

/** Billing's view of an account: how it is billed, and whether its usage uploads are late. */
@Entity({ name: 'billing_account' })
export class BillingAccount {
  @PrimaryColumn({ name: 'account_id', type: 'varchar', length: 36 })
  accountId!: string;

  @Column({ type: 'varchar', length: 20, default: 'NAMED' })
  basis!: BillingBasis;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: Date;
}
