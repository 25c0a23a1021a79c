import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '@lic/shared';

/**
 * The current revision of each activation file this subgraph has seen (loaded, or announced by
 * accounts.activation-file-updated). Only that revision loads; an older one is superseded. Loads of
 * one file lock its row, so two servers cannot take the same file at once.
 */
@Entity({ name: 'license_file_revision' })
export class LicenseFileRevision {
  @PrimaryColumn({ name: 'file_id', type: 'varchar', length: 128 })
  fileId!: string;

  @Column({ name: 'account_id', type: 'varchar', length: 36 })
  accountId!: string;

  @Column({ type: 'integer' })
  revision!: number;

  @Column({ name: 'updated_at', type: 'bigint', transformer: bigintNumber })
  updatedAt!: number;
}
