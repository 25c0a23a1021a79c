import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';

/** The calls the platform ended (development licences disconnect hourly), with their cause. */
export class EndedCalls1765000002201 implements MigrationInterface {
  name = 'EndedCalls1765000002201';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'ended_call',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'server_id', type: 'varchar', length: '36' },
          { name: 'call_id', type: 'varchar', length: '100' },
          { name: 'opened_at', type: 'bigint' },
          { name: 'ended_at', type: 'bigint' },
          { name: 'cause', type: 'varchar', length: '40' },
        ],
      }),
    );
    await q.createIndex(
      'ended_call',
      new TableIndex({ name: 'ix_ended_call_server', columnNames: ['server_id', 'ended_at'] }),
    );
    await q.createIndex(
      'ended_call',
      new TableIndex({ name: 'ix_ended_call_call', columnNames: ['server_id', 'call_id'] }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('ended_call');
  }
}
