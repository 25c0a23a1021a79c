import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';

/**
 * The install sites allocation has learnt from the accounts subgraph (account and whether active),
 * so that a server is registered only at an active site of its own account. Sites already in use by
 * a server are known from the start: active, of that server's account.
 */
export class InstallSites1766000005100 implements MigrationInterface {
  name = 'InstallSites1766000005100';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'install_site',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'account_id', type: 'varchar', length: '36' },
          { name: 'active', type: 'integer', default: 1 },
        ],
      }),
      true,
    );
    await q.query(
      'INSERT INTO install_site (id, account_id, active) ' +
        'SELECT install_site_id, MIN(account_id), 1 FROM server GROUP BY install_site_id',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('install_site', true);
  }
}
