import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '@lic/shared';

/**
 * Per user of a server: the lock that serialises re-derivation of the user's sessions, the
 * earliest event time not yet derived (`dirtyFrom`), and the tracked session still going.
 */
@Entity({ name: 'usage_user' })
@Index('ix_usage_user_dirty', ['dirtyFrom'])
@Index('ix_usage_user_account_dirty', ['accountId', 'dirtyFrom'])
@Index('ix_usage_user_open', ['accountId', 'openStart'])
export class UsageUser {
  @PrimaryColumn({ name: 'server_id', type: 'varchar', length: 36 })
  serverId!: string;

  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 200 })
  userId!: string;

  @Column({ name: 'account_id', type: 'varchar', length: 36 })
  accountId!: string;

  @Column({ name: 'dirty_from', type: 'bigint', nullable: true, transformer: bigintNumber })
  dirtyFrom!: number | null;

  @Column({ name: 'open_start', type: 'bigint', nullable: true, transformer: bigintNumber })
  openStart!: number | null;

  @Column({ name: 'open_categories', type: 'integer', nullable: true })
  openCategories!: number | null;

  /** Start of the user's latest active session, tracked or not: a safe re-derivation anchor. */
  @Column({ name: 'last_active_start', type: 'bigint', nullable: true, transformer: bigintNumber })
  lastActiveStart!: number | null;
}
