import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '@lic/shared';

/** A server's late or missing upload for a billing period, announced once (its event's id). */
@Entity({ name: 'usage_upload_alert' })
export class UsageUploadAlert {
  @PrimaryColumn({ name: 'server_id', type: 'varchar', length: 36 })
  serverId!: string;

  @PrimaryColumn({ name: 'period_start', type: 'bigint', transformer: bigintNumber })
  periodStart!: number;

  @Column({ name: 'account_id', type: 'varchar', length: 36 })
  accountId!: string;

  /** LATE or MISSING when it was announced. */
  @Column({ type: 'varchar', length: 10 })
  state!: string;

  @Column({ name: 'event_id', type: 'varchar', length: 36 })
  eventId!: string;

  @Column({ name: 'detected_at', type: 'bigint', transformer: bigintNumber })
  detectedAt!: number;
}
