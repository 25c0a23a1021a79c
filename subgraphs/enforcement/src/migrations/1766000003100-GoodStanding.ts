import { type MigrationInterface, type QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';

/**
 * Good standing decided by the platform: the facts of the verdict (the revision, expiry and licence
 * model loaded on each server; each file's current revision and deactivation; known accounts and
 * their holds), the machine credential in force on each server (only it checks in), the verdict
 * of each check-in, and who did a manual override and why.
 */
export class GoodStanding1766000003100 implements MigrationInterface {
  name = 'GoodStanding1766000003100';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('enforcement_server', [
      new TableColumn({ name: 'license_revision', type: 'integer', isNullable: true }),
      new TableColumn({ name: 'license_expires_at', type: 'bigint', isNullable: true }),
      new TableColumn({ name: 'license_model', type: 'varchar', length: '20', isNullable: true }),
      new TableColumn({ name: 'standing_warning_at', type: 'bigint', isNullable: true }),
      new TableColumn({ name: 'credential_id', type: 'varchar', length: '64', isNullable: true }),
      new TableColumn({ name: 'credential_issued_at', type: 'bigint', isNullable: true }),
    ]);
    await q.addColumns('enforcement_check_in', [
      new TableColumn({ name: 'reason', type: 'varchar', length: '40', isNullable: true }),
      new TableColumn({ name: 'reported_success', type: 'boolean', isNullable: true }),
      new TableColumn({ name: 'actor', type: 'varchar', length: '200', isNullable: true }),
      new TableColumn({ name: 'note', type: 'varchar', length: '500', isNullable: true }),
    ]);
    await q.addColumns('enforcement_stage_change', [
      new TableColumn({ name: 'actor', type: 'varchar', length: '200', isNullable: true }),
      new TableColumn({ name: 'note', type: 'varchar', length: '500', isNullable: true }),
    ]);
    await q.createTable(
      new Table({
        name: 'enforcement_license_file',
        columns: [
          { name: 'file_id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'account_id', type: 'varchar', length: '36' },
          { name: 'current_revision', type: 'integer', isNullable: true },
          { name: 'deactivated_at', type: 'bigint', isNullable: true },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'enforcement_account',
        columns: [
          { name: 'account_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'known_at', type: 'bigint' },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'enforcement_account_hold',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'account_id', type: 'varchar', length: '36' },
          { name: 'open_account_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'reason', type: 'varchar', length: '500' },
          { name: 'placed_by', type: 'varchar', length: '200' },
          { name: 'placed_at', type: 'bigint' },
          { name: 'lifted_by', type: 'varchar', length: '200', isNullable: true },
          { name: 'lifted_at', type: 'bigint', isNullable: true },
          { name: 'lift_note', type: 'varchar', length: '500', isNullable: true },
        ],
      }),
    );
    await q.createIndex(
      'enforcement_account_hold',
      new TableIndex({
        name: 'ix_enforcement_account_hold_account',
        columnNames: ['account_id', 'placed_at'],
      }),
    );
    // One hold in force per account: lifted holds have a null open_account_id.
    await q.createIndex(
      'enforcement_account_hold',
      new TableIndex({
        name: 'uq_enforcement_account_hold_open',
        columnNames: ['open_account_id'],
        isUnique: true,
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('enforcement_account_hold');
    await q.dropTable('enforcement_account');
    await q.dropTable('enforcement_license_file');
    await q.dropColumns('enforcement_stage_change', ['note', 'actor']);
    await q.dropColumns('enforcement_check_in', ['note', 'actor', 'reported_success', 'reason']);
    await q.dropColumns('enforcement_server', [
      'credential_issued_at',
      'credential_id',
      'standing_warning_at',
      'license_model',
      'license_expires_at',
      'license_revision',
    ]);
  }
}
