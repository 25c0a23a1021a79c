import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';

export class Accounts1700000000100 implements MigrationInterface {
  name = 'Accounts1700000000100';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'account',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'name', type: 'varchar', length: '200' },
          { name: 'garn', type: 'varchar', length: '40', isUnique: true },
          { name: 'kind', type: 'varchar', length: '20' },
          { name: 'created_at', type: 'bigint' },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('account');
  }
}
