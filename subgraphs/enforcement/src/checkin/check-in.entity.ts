import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMs } from '@lic/shared';

export const CHECK_IN_KINDS = ['PERIODIC', 'STARTUP', 'SWITCHOVER'] as const;
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

  /** Null for a start-up or switchover whose check outcome was not reported: recorded, never counted. */
  @Column({ type: 'boolean', nullable: true })
  success!: boolean | null;

  @Column({ name: 'occurred_at', type: 'bigint', transformer: epochMs })
  occurredAt!: Date;

  @Column({ name: 'recorded_at', type: 'bigint', transformer: epochMs })
  recordedAt!: Date;
}
