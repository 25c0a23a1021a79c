import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';

/** The alert episodes of each pool (pool exhausted, denial burst): one row per pool once it had a denial. */
export class PoolAlerts1766700001700 implements MigrationInterface {
  name = 'PoolAlerts1766700001700';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'pool_alert',
        columns: [
          { name: 'server_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'pool_key', type: 'varchar', length: '120', isPrimary: true },
          { name: 'exhausted_since', type: 'bigint', isNullable: true },
          { name: 'burst_since', type: 'bigint', isNullable: true },
          { name: 'burst_last_at', type: 'bigint', isNullable: true },
        ],
      }),
      true,
    );
    // The sweep looks only at open exhaustion episodes.
    await q.createIndex(
      'pool_alert',
      new TableIndex({ name: 'ix_pool_alert_exhausted', columnNames: ['exhausted_since'] }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('pool_alert', true);
  }
}
