import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { bigintNumber } from '../db/columns.js';

/** A domain event written in the same transaction as the change it describes. */
@Entity({ name: 'outbox_event' })
export class OutboxEventRow {
  @PrimaryGeneratedColumn({ type: 'integer' })
  seq!: number;

  @Index('uq_outbox_event_id', { unique: true })
  @Column({ name: 'event_id', type: 'varchar', length: 36 })
  eventId!: string;

  @Column({ type: 'varchar', length: 100 })
  topic!: string;

  @Column({ type: 'text' })
  payload!: string;

  @Column({ name: 'occurred_at', type: 'bigint', transformer: bigintNumber })
  occurredAt!: number;

  @Column({ name: 'created_at', type: 'bigint', transformer: bigintNumber })
  createdAt!: number;

  @Index('ix_outbox_event_published')
  @Column({ name: 'published_at', type: 'bigint', nullable: true, transformer: bigintNumber })
  publishedAt!: number | null;

  /** The W3C `traceparent` of the request that wrote the event (null while tracing is off). */
  @Column({ name: 'trace_parent', type: 'varchar', length: 55, nullable: true })
  traceParent!: string | null;
}

/** The events a consumer has applied: the key that makes redelivery harmless. */
@Entity({ name: 'processed_event' })
export class ProcessedEventRow {
  @PrimaryColumn({ type: 'varchar', length: 100 })
  consumer!: string;

  @PrimaryColumn({ name: 'event_id', type: 'varchar', length: 36 })
  eventId!: string;

  @Index('ix_processed_event_at')
  @Column({ name: 'processed_at', type: 'bigint', transformer: bigintNumber })
  processedAt!: number;
}

export const EVENT_ENTITIES = [OutboxEventRow, ProcessedEventRow];
