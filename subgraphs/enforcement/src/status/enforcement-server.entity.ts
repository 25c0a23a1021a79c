import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber, epochMs } from '@lic/shared';

/** What enforcement knows of a server: its tenant, its licence terms and its last good check-in. */
@Entity({ name: 'enforcement_server' })
export class EnforcementServer {
  @PrimaryColumn({ name: 'server_id', type: 'varchar', length: 36 })
  serverId!: string;

  @Index('ix_enforcement_server_account')
  @Column({ name: 'account_id', type: 'varchar', length: 36 })
  accountId!: string;

  @Column({ type: 'boolean', default: false })
  applicable!: boolean;

  @Column({ name: 'ramp_date', type: 'bigint', nullable: true, transformer: epochMs })
  rampDate!: Date | null;

  @Column({ name: 'grace_days', type: 'integer', default: 7 })
  graceDays!: number;

  @Column({ name: 'last_good_check_in', type: 'bigint', nullable: true, transformer: epochMs })
  lastGoodCheckIn!: Date | null;

  @Column({ name: 'licensed_call_ports', type: 'integer', default: 0 })
  licensedCallPorts!: number;

  @Column({ type: 'integer', default: 1 })
  stage!: number;

  @Column({ name: 'stage_since', type: 'bigint', nullable: true, transformer: epochMs })
  stageSince!: Date | null;

  @Column({ type: 'bigint', default: 0, transformer: bigintNumber })
  version!: number;
}
