import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';

export class Servers1700000000200 implements MigrationInterface {
  name = 'Servers1700000000200';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'server',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'account_id', type: 'varchar', length: '36' },
          { name: 'install_site_id', type: 'varchar', length: '36' },
          { name: 'name', type: 'varchar', length: '200' },
          { name: 'switchover_partner_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'created_at', type: 'bigint' },
        ],
      }),
    );
    await q.createIndex('server', new TableIndex({ name: 'ix_server_account', columnNames: ['account_id'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('server');
  }
}
