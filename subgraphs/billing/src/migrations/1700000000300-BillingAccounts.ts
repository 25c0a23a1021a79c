import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';

export class BillingAccounts1700000000300 implements MigrationInterface {
  name = 'BillingAccounts1700000000300';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'billing_account',
        columns: [
          { name: 'account_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'basis', type: 'varchar', length: '20', default: "'NAMED'" },
          { name: 'created_at', type: 'bigint' },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'billing_server',
        columns: [
          { name: 'server_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'account_id', type: 'varchar', length: '36' },
        ],
      }),
    );
    await q.createIndex(
      'billing_server',
      new TableIndex({ name: 'ix_billing_server_account', columnNames: ['account_id'] }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('billing_server');
    await q.dropTable('billing_account');
  }
}
