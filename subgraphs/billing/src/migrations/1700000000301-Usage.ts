import { type MigrationInterface, type QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';

const idx = (name: string, columnNames: string[], isUnique = false) =>
  new TableIndex({ name, columnNames, isUnique });

/** Usage collection: licence loads, server starts, raw usage events, derived sessions, usage files. */
export class Usage1700000000301 implements MigrationInterface {
  name = 'Usage1700000000301';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn(
      'billing_server',
      new TableColumn({ name: 'name', type: 'varchar', length: '200', isNullable: true }),
    );

    await q.createTable(
      new Table({
        name: 'billing_license_load',
        columns: [
          { name: 'event_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'server_id', type: 'varchar', length: '36' },
          { name: 'file_id', type: 'varchar', length: '64' },
          { name: 'loaded_at', type: 'bigint' },
          { name: 'mode', type: 'varchar', length: '20' },
        ],
      }),
    );
    await q.createIndex(
      'billing_license_load',
      idx('ix_billing_license_load_server', ['server_id', 'loaded_at']),
    );

    await q.createTable(
      new Table({
        name: 'billing_server_start',
        columns: [
          { name: 'event_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'server_id', type: 'varchar', length: '36' },
          { name: 'occurred_at', type: 'bigint' },
        ],
      }),
    );
    await q.createIndex(
      'billing_server_start',
      idx('ix_billing_server_start_server', ['server_id', 'occurred_at']),
    );

    await q.createTable(
      new Table({
        name: 'usage_event',
        columns: [
          { name: 'event_id', type: 'varchar', length: '200', isPrimary: true },
          { name: 'server_id', type: 'varchar', length: '36' },
          { name: 'account_id', type: 'varchar', length: '36' },
          { name: 'user_id', type: 'varchar', length: '200' },
          { name: 'type', type: 'varchar', length: '6' },
          { name: 'occurred_at', type: 'bigint' },
          { name: 'day', type: 'integer' },
          { name: 'application', type: 'varchar', length: '200', isNullable: true },
          { name: 'licenses', type: 'text' },
          { name: 'tracked', type: 'integer' },
          { name: 'source', type: 'varchar', length: '10' },
          { name: 'received_at', type: 'bigint' },
        ],
      }),
    );
    await q.createIndex('usage_event', idx('ix_usage_event_user', ['server_id', 'user_id', 'occurred_at']));
    await q.createIndex(
      'usage_event',
      idx('ix_usage_event_server_day', ['server_id', 'day', 'tracked', 'occurred_at']),
    );
    await q.createIndex(
      'usage_event',
      idx('ix_usage_event_account_day', ['account_id', 'day', 'tracked', 'server_id']),
    );

    await q.createTable(
      new Table({
        name: 'usage_user',
        columns: [
          { name: 'server_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'user_id', type: 'varchar', length: '200', isPrimary: true },
          { name: 'account_id', type: 'varchar', length: '36' },
          { name: 'dirty_from', type: 'bigint', isNullable: true },
          { name: 'open_start', type: 'bigint', isNullable: true },
          { name: 'open_categories', type: 'integer', isNullable: true },
          { name: 'last_active_start', type: 'bigint', isNullable: true },
        ],
      }),
    );
    await q.createIndex('usage_user', idx('ix_usage_user_dirty', ['dirty_from']));
    await q.createIndex('usage_user', idx('ix_usage_user_account_dirty', ['account_id', 'dirty_from']));
    await q.createIndex('usage_user', idx('ix_usage_user_open', ['account_id', 'open_start']));

    await q.createTable(
      new Table({
        name: 'usage_session',
        columns: [
          {
            name: 'id',
            type: 'integer',
            isPrimary: true,
            isGenerated: true,
            generationStrategy: 'increment',
          },
          { name: 'server_id', type: 'varchar', length: '36' },
          { name: 'account_id', type: 'varchar', length: '36' },
          { name: 'user_id', type: 'varchar', length: '200' },
          { name: 'active_start', type: 'bigint' },
          { name: 'session_start', type: 'bigint' },
          { name: 'session_end', type: 'bigint', isNullable: true },
          { name: 'period_start', type: 'bigint' },
          { name: 'start_at', type: 'bigint' },
          { name: 'end_at', type: 'bigint', isNullable: true },
          { name: 'categories', type: 'integer' },
          { name: 'category_version', type: 'varchar', length: '20' },
          { name: 'licenses', type: 'text' },
        ],
      }),
    );
    await q.createIndex(
      'usage_session',
      idx('ix_usage_session_sweep', ['account_id', 'period_start', 'start_at', 'end_at', 'categories']),
    );
    await q.createIndex(
      'usage_session',
      idx('ix_usage_session_user', ['server_id', 'user_id', 'period_start', 'start_at']),
    );
    await q.createIndex(
      'usage_session',
      idx('ix_usage_session_server', ['server_id', 'period_start', 'start_at']),
    );

    await q.createTable(
      new Table({
        name: 'usage_user_period',
        columns: [
          { name: 'server_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'user_id', type: 'varchar', length: '200', isPrimary: true },
          { name: 'period_start', type: 'bigint', isPrimary: true },
          { name: 'account_id', type: 'varchar', length: '36' },
          { name: 'categories', type: 'integer' },
        ],
      }),
    );
    await q.createIndex(
      'usage_user_period',
      idx('ix_usage_user_period_account', ['account_id', 'period_start', 'categories']),
    );

    await q.createTable(
      new Table({
        name: 'usage_file_state',
        columns: [
          { name: 'server_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'file_start', type: 'bigint', isPrimary: true },
          { name: 'uploaded_at', type: 'bigint' },
          { name: 'upload_mode', type: 'varchar', length: '10' },
        ],
      }),
    );

    await q.createTable(
      new Table({
        name: 'usage_file_upload',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'server_id', type: 'varchar', length: '36' },
          { name: 'file_start', type: 'bigint' },
          { name: 'file_name', type: 'varchar', length: '255' },
          { name: 'day', type: 'varchar', length: '10' },
          { name: 'sequence', type: 'integer' },
          { name: 'digest', type: 'varchar', length: '64' },
          { name: 'records', type: 'integer' },
          { name: 'ingested_records', type: 'integer' },
          { name: 'uploaded_by', type: 'varchar', length: '200' },
          { name: 'uploaded_at', type: 'bigint' },
        ],
      }),
    );
    await q.createIndex(
      'usage_file_upload',
      idx('uq_usage_file_upload_digest', ['server_id', 'digest'], true),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'usage_file_upload',
      'usage_file_state',
      'usage_user_period',
      'usage_session',
      'usage_user',
      'usage_event',
      'billing_server_start',
      'billing_license_load',
    ]) {
      await q.dropTable(table);
    }
    await q.dropColumn('billing_server', 'name');
  }
}
