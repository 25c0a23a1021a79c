import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { bigintNumber } from '@lic/shared';

/**
 * A piece of a tracked active session within one billing period (see `piecesOf`). Derived from
 * `usage_event` and rebuilt whenever a user's events change; reports aggregate these rows.
 */
@Entity({ name: 'usage_session' })
@Index('ix_usage_session_sweep', ['accountId', 'periodStart', 'startAt', 'endAt', 'categories'])
@Index('ix_usage_session_user', ['serverId', 'userId', 'periodStart', 'startAt'])
@Index('ix_usage_session_server', ['serverId', 'periodStart', 'startAt'])
@Index('ix_usage_session_version', ['categoryVersion', 'serverId', 'userId', 'activeStart'])
export class UsageSessionRow {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'server_id', type: 'varchar', length: 36 })
  serverId!: string;

  @Column({ name: 'account_id', type: 'varchar', length: 36 })
  accountId!: string;

  @Column({ name: 'user_id', type: 'varchar', length: 200 })
  userId!: string;

  @Column({ name: 'active_start', type: 'bigint', transformer: bigintNumber })
  activeStart!: number;

  @Column({ name: 'session_start', type: 'bigint', transformer: bigintNumber })
  sessionStart!: number;

  @Column({ name: 'session_end', type: 'bigint', nullable: true, transformer: bigintNumber })
  sessionEnd!: number | null;

  @Column({ name: 'period_start', type: 'bigint', transformer: bigintNumber })
  periodStart!: number;

  @Column({ name: 'start_at', type: 'bigint', transformer: bigintNumber })
  startAt!: number;

  @Column({ name: 'end_at', type: 'bigint', nullable: true, transformer: bigintNumber })
  endAt!: number | null;

  /** Bit mask over USAGE_CATEGORIES (see category-mask.ts). */
  @Column({ type: 'integer' })
  categories!: number;

  @Column({ name: 'category_version', type: 'varchar', length: 20 })
  categoryVersion!: string;

  /** JSON array: every licence applied during the session. */
  @Column({ type: 'text' })
  licenses!: string;
}
