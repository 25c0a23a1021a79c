import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber, epochMs } from '@lic/shared';

/**
 * What enforcement knows of a server: its tenant, its licence terms, its last good check-in and
 * the stage last recorded. `version` rises with every write; the scheduler claims a row with
 * `UPDATE ... WHERE version = ?`, so of several replicas exactly one records a transition.
 */
@Entity({ name: 'enforcement_server' })
export class EnforcementServer {
  @PrimaryColumn({ name: 'server_id', type: 'varchar', length: 36 })
  serverId!: string;

  @Index('ix_enforcement_server_account')
  @Column({ name: 'account_id', type: 'varchar', length: 36 })
  accountId!: string;

  /** The loaded licence holds I3_FEATURE_VIRTUAL_CLOUD. */
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

  /** When the next stage begins without a good check-in; the scheduler's work list. */
  @Index('ix_enforcement_server_next_stage')
  @Column({ name: 'next_stage_at', type: 'bigint', nullable: true, transformer: epochMs })
  nextStageAt!: Date | null;

  /** How many stage changes are recorded: the last `enforcement_stage_change.seq`. */
  @Column({ name: 'change_seq', type: 'integer', default: 0 })
  changeSeq!: number;

  @Column({ name: 'license_file_id', type: 'varchar', length: 64, nullable: true })
  licenseFileId!: string | null;

  /** When the licence in force was loaded: an older load delivered late is ignored. */
  @Column({ name: 'license_loaded_at', type: 'bigint', nullable: true, transformer: epochMs })
  licenseLoadedAt!: Date | null;

  /** The revision of the loaded file; null when the producer did not say. */
  @Column({ name: 'license_revision', type: 'integer', nullable: true })
  licenseRevision!: number | null;

  @Column({ name: 'license_expires_at', type: 'bigint', nullable: true, transformer: epochMs })
  licenseExpiresAt!: Date | null;

  /** PERPETUAL or SUBSCRIPTION: the subscription behind the loaded file. */
  @Column({ name: 'license_model', type: 'varchar', length: 20, nullable: true })
  licenseModel!: string | null;

  /**
   * When a start-up or switchover check was refused good standing: the status warns from then
   * on, whatever the stage, until a good check-in.
   */
  @Column({ name: 'standing_warning_at', type: 'bigint', nullable: true, transformer: epochMs })
  standingWarningAt!: Date | null;

  /** The machine credential in force (allocation.server-credential-issued); older ones may not check in. */
  @Column({ name: 'credential_id', type: 'varchar', length: 64, nullable: true })
  credentialId!: string | null;

  @Column({ name: 'credential_issued_at', type: 'bigint', nullable: true, transformer: epochMs })
  credentialIssuedAt!: Date | null;

  @Column({ type: 'bigint', default: 0, transformer: bigintNumber })
  version!: number;
}
