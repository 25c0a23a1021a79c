import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '@lic/shared';

export type UsageEventType = 'logon' | 'logoff';

/**
 * A logon or logoff as it happened, with the licences applied at that moment: the raw facts
 * every usage figure is re-derived from, so the order in which they arrive does not matter.
 * Keyed by the event id, so a replayed event or a re-uploaded file record is stored once.
 */
@Entity({ name: 'usage_event' })
@Index('ix_usage_event_user', ['serverId', 'userId', 'occurredAt'])
@Index('ix_usage_event_server_day', ['serverId', 'day', 'tracked', 'occurredAt'])
@Index('ix_usage_event_account_day', ['accountId', 'day', 'tracked', 'serverId'])
export class UsageEvent {
  @PrimaryColumn({ name: 'event_id', type: 'varchar', length: 200 })
  eventId!: string;

  @Column({ name: 'server_id', type: 'varchar', length: 36 })
  serverId!: string;

  @Column({ name: 'account_id', type: 'varchar', length: 36 })
  accountId!: string;

  @Column({ name: 'user_id', type: 'varchar', length: 200 })
  userId!: string;

  @Column({ type: 'varchar', length: 6 })
  type!: UsageEventType;

  @Column({ name: 'occurred_at', type: 'bigint', transformer: bigintNumber })
  occurredAt!: number;

  /** The UTC day (days since the epoch): the usage file the event belongs to. */
  @Column({ type: 'integer' })
  day!: number;

  @Column({ type: 'varchar', length: 200, nullable: true })
  application!: string | null;

  /**
   * JSON array of the licence keys applied to the user: its own (SessionStarted/Ended
   * `userLicenses`), or for older producers the session's, station included.
   */
  @Column({ type: 'text' })
  licenses!: string;

  /** 1 for a logon from the telephone without a client application (a phone-only ACD agent). */
  @Column({ name: 'telephone_only', type: 'integer', default: 0 })
  telephoneOnly!: number;

  /** 1 when the server's licence tracked usage at that moment (kept by the deriver). */
  @Column({ type: 'integer' })
  tracked!: number;

  /** EVENT (the bus) or FILE (an uploaded usage file). */
  @Column({ type: 'varchar', length: 10 })
  source!: string;

  @Column({ name: 'received_at', type: 'bigint', transformer: bigintNumber })
  receivedAt!: number;
}
