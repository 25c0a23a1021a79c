import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';

export class EnforcementServers1700000000400 implements MigrationInterface {
  name = 'EnforcementServers1700000000400';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'enforcement_server',
        columns: [
          { name: 'server_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'account_id', type: 'varchar', length: '36' },
          // 0, not false: SQLite keeps a default as spelled, and the entity (and MariaDB) say 0.
          { name: 'applicable', type: 'boolean', default: 0 },
          { name: 'ramp_date', type: 'bigint', isNullable: true },
          { name: 'grace_days', type: 'integer', default: 7 },
          { name: 'last_good_check_in', type: 'bigint', isNullable: true },
          { name: 'licensed_call_ports', type: 'integer', default: 0 },
          { name: 'stage', type: 'integer', default: 1 },
          { name: 'stage_since', type: 'bigint', isNullable: true },
          { name: 'version', type: 'bigint', default: 0 },
        ],
      }),
    );
    await q.createIndex(
      'enforcement_server',
      new TableIndex({ name: 'ix_enforcement_server_account', columnNames: ['account_id'] }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('enforcement_server');
  }
}
