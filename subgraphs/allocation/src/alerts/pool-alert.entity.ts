import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '@lic/shared';

/**
 * The alert episodes of one pool (see pool-episodes.ts): registered for the schema only, read and
 * changed through PoolAlerts' SQL. A row exists once the pool had a denial.
 */
@Entity({ name: 'pool_alert' })
@Index('ix_pool_alert_exhausted', ['exhaustedSince'])
export class PoolAlertRow {
  /** The switchover unit (the server's own id when single), as license_pool has it. */
  @PrimaryColumn({ name: 'server_id', type: 'varchar', length: 36 })
  serverId!: string;

  @PrimaryColumn({ name: 'pool_key', type: 'varchar', length: 120 })
  key!: string;

  @Column({ name: 'exhausted_since', type: 'bigint', nullable: true, transformer: bigintNumber })
  exhaustedSince!: number | null;

  @Column({ name: 'burst_since', type: 'bigint', nullable: true, transformer: bigintNumber })
  burstSince!: number | null;

  @Column({ name: 'burst_last_at', type: 'bigint', nullable: true, transformer: bigintNumber })
  burstLastAt!: number | null;
}
