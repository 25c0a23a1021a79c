import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';

/**
 * Licence usage history: per server, licence and bucket (a minute, an hour or a day, by its start
 * in epoch ms), the last in-use seen (with the statistics version it was read at, so that the
 * newest read wins whichever process writes last) and the peak.
 */
export class UsageHistory1766000006100 implements MigrationInterface {
  name = 'UsageHistory1766000006100';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'license_usage_history',
        columns: [
          { name: 'server_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'license_key', type: 'varchar', length: '120', isPrimary: true },
          { name: 'resolution', type: 'varchar', length: '6', isPrimary: true },
          { name: 'bucket_at', type: 'bigint', isPrimary: true },
          { name: 'in_use', type: 'integer' },
          { name: 'version', type: 'bigint' },
          { name: 'peak', type: 'integer' },
        ],
      }),
      true,
    );
    await q.createIndex(
      'license_usage_history',
      new TableIndex({ name: 'ix_license_usage_history_prune', columnNames: ['resolution', 'bucket_at'] }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('license_usage_history', true);
  }
}
