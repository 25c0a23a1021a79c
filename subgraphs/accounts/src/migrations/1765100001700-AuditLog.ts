import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';

const text = (name: string, length: number, nullable = true) => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable: nullable,
});

/**
 * The audit log: one row per audited mutation of any subgraph. Append-only, on both engines: a
 * trigger refuses every UPDATE and DELETE, so not even a mistaken statement can rewrite history.
 */
export class AuditLog1765100001700 implements MigrationInterface {
  name = 'AuditLog1765100001700';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'audit_entry',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          text('account_id', 64),
          { name: 'occurred_at', type: 'bigint', isNullable: false },
          text('subject', 200),
          text('roles', 400, false),
          text('credential_kind', 20),
          text('credential_id', 200),
          text('operation', 200),
          text('field', 100, false),
          text('service', 40, false),
          { name: 'target_ids', type: 'text', isNullable: false },
          { name: 'change_json', type: 'text', isNullable: false },
          text('outcome', 20, false),
          text('error_code', 60),
          text('request_id', 128),
          text('client_address', 64),
        ],
      }),
    );
    await q.createIndex(
      'audit_entry',
      new TableIndex({
        name: 'ix_audit_entry_account_time',
        columnNames: ['account_id', 'occurred_at', 'id'],
      }),
    );
    if (q.connection.options.type === 'better-sqlite3') {
      for (const action of ['UPDATE', 'DELETE']) {
        await q.query(
          `CREATE TRIGGER audit_entry_no_${action.toLowerCase()} BEFORE ${action} ON audit_entry ` +
            `BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END`,
        );
      }
    } else {
      for (const action of ['UPDATE', 'DELETE']) {
        await q.query(
          `CREATE TRIGGER audit_entry_no_${action.toLowerCase()} BEFORE ${action} ON audit_entry FOR EACH ROW ` +
            `SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit entries are append-only'`,
        );
      }
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER IF EXISTS audit_entry_no_update');
    await q.query('DROP TRIGGER IF EXISTS audit_entry_no_delete');
    await q.dropTable('audit_entry');
  }
}
