import { type MigrationInterface, type QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';

/** The outbox and inbox tables every subgraph carries (driver-neutral Table API). */
export class EventTables1700000000000 implements MigrationInterface {
  name = 'EventTables1700000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'outbox_event',
        columns: [
          {
            name: 'seq',
            type: 'integer',
            isPrimary: true,
            isGenerated: true,
            generationStrategy: 'increment',
          },
          { name: 'event_id', type: 'varchar', length: '36' },
          { name: 'topic', type: 'varchar', length: '100' },
          { name: 'payload', type: 'text' },
          { name: 'occurred_at', type: 'bigint' },
          { name: 'created_at', type: 'bigint' },
          { name: 'published_at', type: 'bigint', isNullable: true },
        ],
      }),
    );
    await q.createIndex(
      'outbox_event',
      new TableIndex({ name: 'uq_outbox_event_id', columnNames: ['event_id'], isUnique: true }),
    );
    await q.createIndex(
      'outbox_event',
      new TableIndex({ name: 'ix_outbox_event_published', columnNames: ['published_at'] }),
    );
    await q.createTable(
      new Table({
        name: 'processed_event',
        columns: [
          { name: 'consumer', type: 'varchar', length: '100', isPrimary: true },
          { name: 'event_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'processed_at', type: 'bigint' },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('processed_event');
    await q.dropTable('outbox_event');
  }
}

/** Retention: the inbox is pruned by age, so it gets an index on when each event was applied. */
export class EventRetention1764300000000 implements MigrationInterface {
  name = 'EventRetention1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createIndex(
      'processed_event',
      new TableIndex({ name: 'ix_processed_event_at', columnNames: ['processed_at'] }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('processed_event', 'ix_processed_event_at');
  }
}

/**
 * Tracing: each outbox event keeps the `traceparent` of the request that wrote it, so that its
 * consumers continue that trace. Ordered before every subgraph migration that writes events.
 */
export class EventTraceContext1764300000001 implements MigrationInterface {
  name = 'EventTraceContext1764300000001';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn(
      'outbox_event',
      new TableColumn({ name: 'trace_parent', type: 'varchar', length: '55', isNullable: true }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('outbox_event', 'trace_parent');
  }
}

/** The bus's migrations, in every subgraph's database before its own. */
export const EVENT_MIGRATIONS = [
  EventTables1700000000000,
  EventRetention1764300000000,
  EventTraceContext1764300000001,
];
