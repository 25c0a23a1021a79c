import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMs } from '@lic/shared';

/** What accounts said of an activation file: its current revision and whether it was deactivated. */
@Entity({ name: 'enforcement_license_file' })
export class LicenseFileFacts {
  @PrimaryColumn({ name: 'file_id', type: 'varchar', length: 64 })
  fileId!: string;

  @Column({ name: 'account_id', type: 'varchar', length: 36 })
  accountId!: string;

  @Column({ name: 'current_revision', type: 'integer', nullable: true })
  currentRevision!: number | null;

  @Column({ name: 'deactivated_at', type: 'bigint', nullable: true, transformer: epochMs })
  deactivatedAt!: Date | null;
}

/** An account enforcement has heard of (accounts.account-created), so a hold can name it. */
@Entity({ name: 'enforcement_account' })
export class KnownAccount {
  @PrimaryColumn({ name: 'account_id', type: 'varchar', length: 36 })
  accountId!: string;

  @Column({ name: 'known_at', type: 'bigint', transformer: epochMs })
  knownAt!: Date;
}

/**
 * A hold a licensing administrator put on an account, with who and why, and who lifted it and
 * when. `openAccountId` is the account id while the hold is in force and null once lifted: its
 * unique index allows one hold in force per account, whatever the number of replicas.
 */
@Entity({ name: 'enforcement_account_hold' })
@Index('ix_enforcement_account_hold_account', ['accountId', 'placedAt'])
export class AccountHoldRow {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'account_id', type: 'varchar', length: 36 })
  accountId!: string;

  @Index('uq_enforcement_account_hold_open', { unique: true })
  @Column({ name: 'open_account_id', type: 'varchar', length: 36, nullable: true })
  openAccountId!: string | null;

  @Column({ type: 'varchar', length: 500 })
  reason!: string;

  @Column({ name: 'placed_by', type: 'varchar', length: 200 })
  placedBy!: string;

  @Column({ name: 'placed_at', type: 'bigint', transformer: epochMs })
  placedAt!: Date;

  @Column({ name: 'lifted_by', type: 'varchar', length: 200, nullable: true })
  liftedBy!: string | null;

  @Column({ name: 'lifted_at', type: 'bigint', nullable: true, transformer: epochMs })
  liftedAt!: Date | null;

  @Column({ name: 'lift_note', type: 'varchar', length: 500, nullable: true })
  liftNote!: string | null;
}
