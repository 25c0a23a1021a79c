import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';

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
