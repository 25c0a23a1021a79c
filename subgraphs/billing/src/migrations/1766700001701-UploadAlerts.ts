import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';

/** Late or missing usage uploads announced: one row per server and billing period. */
export class UploadAlerts1766700001701 implements MigrationInterface {
  name = 'UploadAlerts1766700001701';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'usage_upload_alert',
        columns: [
          { name: 'server_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'period_start', type: 'bigint', isPrimary: true },
          { name: 'account_id', type: 'varchar', length: '36' },
          { name: 'state', type: 'varchar', length: '10' },
          { name: 'event_id', type: 'varchar', length: '36' },
          { name: 'detected_at', type: 'bigint' },
        ],
      }),
      true,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('usage_upload_alert', true);
  }
}
