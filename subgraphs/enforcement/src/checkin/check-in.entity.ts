import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMs } from '@lic/shared';
import { type StandingReason } from '../rules/standing.js';

/** OVERRIDE: a licensing administrator's manual grant of good standing (with who and why). */
export const CHECK_IN_KINDS = ['PERIODIC', 'STARTUP', 'SWITCHOVER', 'OVERRIDE'] as const;
export type CheckInKindValue = (typeof CHECK_IN_KINDS)[number];

/** One attempt of a server to check in with the cloud, good or not. */
@Entity({ name: 'enforcement_check_in' })
@Index('uq_enforcement_check_in', ['serverId', 'kind', 'occurredAt'], { unique: true })
@Index('ix_enforcement_check_in_time', ['serverId', 'occurredAt'])
export class CheckInRow {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'server_id', type: 'varchar', length: 36 })
  serverId!: string;

  @Column({ type: 'varchar', length: 20 })
  kind!: CheckInKindValue;

  /**
   * The platform's verdict: true for good standing. Null only on rows recorded before the
   * platform decided (a start-up or switchover whose outcome was not reported).
   */
  @Column({ type: 'boolean', nullable: true })
  success!: boolean | null;

  /** Why good standing was refused; null when granted. */
  @Column({ type: 'varchar', length: 40, nullable: true })
  reason!: StandingReason | null;

  /** What the server said of its own check (`recordCheckIn`'s `success`): recorded, never trusted. */
  @Column({ name: 'reported_success', type: 'boolean', nullable: true })
  reportedSuccess!: boolean | null;

  /** Who made an override (the administrator's subject); null for the server's own checks. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  actor!: string | null;

  /** Why (an override's reason). */
  @Column({ type: 'varchar', length: 500, nullable: true })
  note!: string | null;

  @Column({ name: 'occurred_at', type: 'bigint', transformer: epochMs })
  occurredAt!: Date;

  @Column({ name: 'recorded_at', type: 'bigint', transformer: epochMs })
  recordedAt!: Date;
}
