import { type MigrationInterface, type QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';

/**
 * One file, one server (or one switchover pair), revisions, and server environments:
 * - `server.machine_key`: the machine name trimmed and lower-cased, unique within the account
 *   (`ux_server_account_machine`), so that two registrations of one machine cannot both pass.
 *   Existing duplicates: the oldest server of each name (by creation, then id) keeps the plain key;
 *   every later one gets `<key>#<server id>`. They stay registered under their names (nothing is
 *   deleted, their users and sessions are untouched), but a file live on one of them is refused
 *   on the others (LICENSE_FILE_IN_USE), and no new server can take the name again.
 * - `server.environment`: PRODUCTION for every existing server (the default).
 * - `server.license_revision`: the revision of the loaded file; existing loads read as revision 1,
 *   as the files signed before revisions existed do.
 * - `license_file_revision`: the current revision of every file seen; filled as files load.
 */
export class FileBinding1765000001200 implements MigrationInterface {
  name = 'FileBinding1765000001200';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('server', [
      new TableColumn({ name: 'machine_key', type: 'varchar', length: '200', default: "''" }),
      new TableColumn({ name: 'environment', type: 'varchar', length: '20', default: "'PRODUCTION'" }),
      new TableColumn({ name: 'license_revision', type: 'integer', isNullable: true }),
    ]);
    const servers = (await q.query(
      'SELECT id, account_id, name, license_file_id FROM server ORDER BY created_at, id',
    )) as Array<{ id: string; account_id: string; name: string; license_file_id: string | null }>;
    const taken = new Set<string>();
    for (const server of servers) {
      const key = server.name.trim().toLowerCase();
      const unique = taken.has(`${server.account_id}\u0000${key}`) ? `${key}#${server.id}` : key;
      taken.add(`${server.account_id}\u0000${unique}`);
      await q.query('UPDATE server SET machine_key = ? WHERE id = ?', [unique, server.id]);
    }
    await q.query('UPDATE server SET license_revision = 1 WHERE license_file_id IS NOT NULL');
    await q.createIndex(
      'server',
      new TableIndex({
        name: 'ux_server_account_machine',
        columnNames: ['account_id', 'machine_key'],
        isUnique: true,
      }),
    );
    await q.createTable(
      new Table({
        name: 'license_file_revision',
        columns: [
          { name: 'file_id', type: 'varchar', length: '128', isPrimary: true },
          { name: 'account_id', type: 'varchar', length: '36' },
          { name: 'revision', type: 'integer' },
          { name: 'updated_at', type: 'bigint' },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('license_file_revision');
    await q.dropIndex('server', 'ux_server_account_machine');
    for (const column of ['license_revision', 'environment', 'machine_key'])
      await q.dropColumn('server', column);
  }
}
