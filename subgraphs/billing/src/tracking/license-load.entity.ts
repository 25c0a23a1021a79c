import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '@lic/shared';
import { type TrackingMode } from './tracking-mode.js';

/** A licence file loaded on a server (allocation.license-file-loaded), as far as usage cares. */
@Entity({ name: 'billing_license_load' })
@Index('ix_billing_license_load_server', ['serverId', 'loadedAt'])
export class LicenseLoad {
  @PrimaryColumn({ name: 'event_id', type: 'varchar', length: 36 })
  eventId!: string;

  @Column({ name: 'server_id', type: 'varchar', length: 36 })
  serverId!: string;

  @Column({ name: 'file_id', type: 'varchar', length: 64 })
  fileId!: string;

  @Column({ name: 'loaded_at', type: 'bigint', transformer: bigintNumber })
  loadedAt!: number;

  @Column({ type: 'varchar', length: 20 })
  mode!: TrackingMode;
}
