import { type MigrationInterface, type QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';

/** Check-ins, stage history, and what the scheduler and the licence need on the server row. */
export class EnforcementHistory1700000000401 implements MigrationInterface {
  name = 'EnforcementHistory1700000000401';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('enforcement_server', [
      new TableColumn({ name: 'next_stage_at', type: 'bigint', isNullable: true }),
      new TableColumn({ name: 'change_seq', type: 'integer', default: 0 }),
      new TableColumn({ name: 'license_file_id', type: 'varchar', length: '64', isNullable: true }),
      new TableColumn({ name: 'license_loaded_at', type: 'bigint', isNullable: true }),
    ]);
    await q.createIndex(
      'enforcement_server',
      new TableIndex({ name: 'ix_enforcement_server_next_stage', columnNames: ['next_stage_at'] }),
    );

    await q.createTable(
      new Table({
        name: 'enforcement_check_in',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'server_id', type: 'varchar', length: '36' },
          { name: 'kind', type: 'varchar', length: '20' },
          { name: 'success', type: 'boolean', isNullable: true },
          { name: 'occurred_at', type: 'bigint' },
          { name: 'recorded_at', type: 'bigint' },
        ],
      }),
    );
    // A replayed report of the same check-in is the same row.
    await q.createIndex(
      'enforcement_check_in',
      new TableIndex({
        name: 'uq_enforcement_check_in',
        columnNames: ['server_id', 'kind', 'occurred_at'],
        isUnique: true,
      }),
    );
    await q.createIndex(
      'enforcement_check_in',
      new TableIndex({ name: 'ix_enforcement_check_in_time', columnNames: ['server_id', 'occurred_at'] }),
    );

    await q.createTable(
      new Table({
        name: 'enforcement_stage_change',
        columns: [
          // (server_id, seq) is the primary key: two replicas can never record the same transition twice.
          { name: 'server_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'seq', type: 'integer', isPrimary: true },
          { name: 'account_id', type: 'varchar', length: '36' },
          { name: 'from_stage', type: 'integer' },
          { name: 'to_stage', type: 'integer' },
          { name: 'at', type: 'bigint' },
          { name: 'cause', type: 'varchar', length: '30' },
          { name: 'supervisor_enabled', type: 'boolean' },
          { name: 'call_port_limit', type: 'integer', isNullable: true },
          { name: 'recorded_at', type: 'bigint' },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('enforcement_stage_change');
    await q.dropTable('enforcement_check_in');
    await q.dropIndex('enforcement_server', 'ix_enforcement_server_next_stage');
    await q.dropColumns('enforcement_server', [
      'license_loaded_at',
      'license_file_id',
      'change_seq',
      'next_stage_at',
    ]);
  }
}
