import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '@lic/shared';

/** One accepted manual upload; the digest of the decrypted content makes a repeat a no-op. */
@Entity({ name: 'usage_file_upload' })
@Index('uq_usage_file_upload_digest', ['serverId', 'digest'], { unique: true })
export class UsageFileUploadRow {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'server_id', type: 'varchar', length: 36 })
  serverId!: string;

  @Column({ name: 'file_start', type: 'bigint', transformer: bigintNumber })
  fileStart!: number;

  @Column({ name: 'file_name', type: 'varchar', length: 255 })
  fileName!: string;

  @Column({ type: 'varchar', length: 10 })
  day!: string;

  @Column({ type: 'integer' })
  sequence!: number;

  @Column({ type: 'varchar', length: 64 })
  digest!: string;

  @Column({ type: 'integer' })
  records!: number;

  @Column({ name: 'ingested_records', type: 'integer' })
  ingestedRecords!: number;

  @Column({ name: 'uploaded_by', type: 'varchar', length: 200 })
  uploadedBy!: string;

  @Column({ name: 'uploaded_at', type: 'bigint', transformer: bigintNumber })
  uploadedAt!: number;
}
