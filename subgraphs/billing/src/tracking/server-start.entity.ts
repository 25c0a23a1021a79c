import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '@lic/shared';

/** A server (re)start (allocation.server-started): it begins a new usage file. */
@Entity({ name: 'billing_server_start' })
@Index('ix_billing_server_start_server', ['serverId', 'occurredAt'])
export class ServerStart {
  @PrimaryColumn({ name: 'event_id', type: 'varchar', length: 36 })
  eventId!: string;

  @Column({ name: 'server_id', type: 'varchar', length: 36 })
  serverId!: string;

  @Column({ name: 'occurred_at', type: 'bigint', transformer: bigintNumber })
  occurredAt!: number;
}
