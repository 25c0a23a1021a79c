import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';

/** API keys (issue 17): a hash per key, never the secret. */
export class ApiKeys1765000001700 implements MigrationInterface {
  name = 'ApiKeys1765000001700';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'api_key',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'account_id', type: 'varchar', length: '36' },
          { name: 'name', type: 'varchar', length: '200' },
          { name: 'prefix', type: 'varchar', length: '20' },
          { name: 'secret_hash', type: 'varchar', length: '64' },
          { name: 'roles', type: 'varchar', length: '200' },
          // 0, not false: SQLite keeps a default as written, and the entity (like MariaDB) says 0.
          { name: 'certified', type: 'boolean', default: 0 },
          { name: 'created_by', type: 'varchar', length: '200' },
          { name: 'created_at', type: 'bigint' },
          { name: 'expires_at', type: 'bigint', isNullable: true },
          { name: 'last_used_at', type: 'bigint', isNullable: true },
          { name: 'revoked_at', type: 'bigint', isNullable: true },
        ],
        foreignKeys: [
          {
            columnNames: ['account_id'],
            referencedTableName: 'account',
            referencedColumnNames: ['id'],
            // As the entity declares it; left out, MariaDB would say RESTRICT.
            onDelete: 'NO ACTION',
            onUpdate: 'NO ACTION',
          },
        ],
      }),
    );
    await q.createIndex(
      'api_key',
      new TableIndex({ name: 'ux_api_key_secret_hash', columnNames: ['secret_hash'], isUnique: true }),
    );
    await q.createIndex(
      'api_key',
      new TableIndex({ name: 'ix_api_key_account_created', columnNames: ['account_id', 'created_at', 'id'] }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('api_key');
  }
}
