import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '@lic/shared';

/** Registered for the schema only: the pools are read and changed through PoolStore's SQL. */
@Entity({ name: 'license_pool' })
export class LicensePoolRow {
  @PrimaryColumn({ name: 'server_id', type: 'varchar', length: 36 })
  serverId!: string;

  @PrimaryColumn({ name: 'pool_key', type: 'varchar', length: 120 })
  key!: string;

  @Column({ name: 'in_file', type: 'integer', default: 0 })
  inFile!: number;

  @Column({ name: 'file_total', type: 'integer', default: 0 })
  fileTotal!: number;

  @Column({ name: 'limit_total', type: 'integer', nullable: true })
  limitTotal!: number | null;

  @Column({ name: 'in_use', type: 'integer', default: 0 })
  inUse!: number;

  @Column({ type: 'integer', default: 0 })
  configured!: number;

  /** Assigned licences withheld by enforcement or expiry: out of in_use until lifted. */
  @Column({ type: 'integer', default: 0 })
  withheld!: number;

  @Column({ name: 'peak_in_use', type: 'integer', default: 0 })
  peakInUse!: number;

  @Column({ name: 'peak_at', type: 'bigint', nullable: true, transformer: bigintNumber })
  peakAt!: number | null;

  @Column({ type: 'integer', default: 0 })
  denials!: number;

  @Column({ type: 'integer', default: 1 })
  version!: number;

  @Column({ name: 'last_claim', type: 'varchar', length: 36, nullable: true })
  lastClaim!: string | null;
}

/** A subscription account's own cap on a licence (what MyCloud lets a customer set). */
@Entity({ name: 'account_license_cap' })
export class AccountLicenseCap {
  @PrimaryColumn({ name: 'account_id', type: 'varchar', length: 36 })
  accountId!: string;

  @PrimaryColumn({ name: 'pool_key', type: 'varchar', length: 120 })
  key!: string;

  @Column({ type: 'integer' })
  cap!: number;

  @Column({ name: 'set_at', type: 'bigint', transformer: bigintNumber })
  setAt!: number;
}

/** A call holding a call port. */
@Entity({ name: 'open_call' })
export class OpenCall {
  @PrimaryColumn({ name: 'server_id', type: 'varchar', length: 36 })
  serverId!: string;

  @PrimaryColumn({ name: 'call_id', type: 'varchar', length: 100 })
  callId!: string;

  @Column({ name: 'opened_at', type: 'bigint', transformer: bigintNumber })
  openedAt!: number;
}

/** Activation files the accounts subgraph deactivated: their pools are withdrawn and they load no more. */
@Entity({ name: 'withdrawn_license_file' })
export class WithdrawnLicenseFile {
  @PrimaryColumn({ name: 'file_id', type: 'varchar', length: 128 })
  fileId!: string;

  @Column({ name: 'account_id', type: 'varchar', length: 36 })
  accountId!: string;

  @Column({ name: 'withdrawn_at', type: 'bigint', transformer: bigintNumber })
  withdrawnAt!: number;
}
