import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '@lic/shared';

export type UploadMode = 'AUTOMATED' | 'MANUAL';

/** The upload state of one usage file, keyed by its server and first instant. */
@Entity({ name: 'usage_file_state' })
export class UsageFileState {
  @PrimaryColumn({ name: 'server_id', type: 'varchar', length: 36 })
  serverId!: string;

  @PrimaryColumn({ name: 'file_start', type: 'bigint', transformer: bigintNumber })
  fileStart!: number;

  @Column({ name: 'uploaded_at', type: 'bigint', transformer: bigintNumber })
  uploadedAt!: number;

  @Column({ name: 'upload_mode', type: 'varchar', length: 10 })
  uploadMode!: UploadMode;
}
