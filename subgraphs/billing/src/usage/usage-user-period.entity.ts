import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '@lic/shared';

/**
 * Every category a user's sessions carried in a billing period (the OR of their masks): one row
 * per user and period, kept by the deriver, so that named users are counted over thousands of
 * rows rather than over a month of sessions.
 */
@Entity({ name: 'usage_user_period' })
@Index('ix_usage_user_period_account', ['accountId', 'periodStart', 'categories'])
export class UsageUserPeriod {
  @PrimaryColumn({ name: 'server_id', type: 'varchar', length: 36 })
  serverId!: string;

  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 200 })
  userId!: string;

  @PrimaryColumn({ name: 'period_start', type: 'bigint', transformer: bigintNumber })
  periodStart!: number;

  @Column({ name: 'account_id', type: 'varchar', length: 36 })
  accountId!: string;

  @Column({ type: 'integer' })
  categories!: number;
}
