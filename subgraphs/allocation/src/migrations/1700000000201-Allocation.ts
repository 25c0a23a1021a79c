import { type MigrationInterface, type QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';

/**
 * The last step of a logon or logoff on MariaDB (see PoolStore.finish): gives back, takes and
 * counts denials on the pools, then commits the caller's transaction in the same round trip, or
 * rolls it back and names the pools that had no room. A pool row is what every logon of a server
 * waits for; committing inside the call means its lock is never held while a client process
 * reads a reply and sends COMMIT (on a busy machine that wait, not the database, set the pace).
 * Keys arrive as SQL lists of quoted keys (`'A','B'`), built by PoolStore from keys it checked
 * against the key pattern (letters, digits, underscores), so that each statement touches (and
 * locks) exactly those rows through the primary key.
 */
const FINISH_PROCEDURE = `
CREATE PROCEDURE allocation_finish(
  IN p_server VARCHAR(36), IN p_give TEXT, IN p_take TEXT, IN p_take_count INT, IN p_deny TEXT,
  IN p_at BIGINT, IN p_claim VARCHAR(36))
BEGIN
  DECLARE taken INT DEFAULT 0;
  IF p_give <> '' THEN
    SET @allocation_sql = CONCAT(
      'UPDATE license_pool SET in_use = CASE WHEN in_use > 0 THEN in_use - 1 ELSE 0 END, version = version + 1 ',
      'WHERE server_id = ? AND pool_key IN (', p_give, ')');
    PREPARE allocation_give FROM @allocation_sql;
    EXECUTE allocation_give USING p_server;
    DEALLOCATE PREPARE allocation_give;
  END IF;
  IF p_take_count > 0 THEN
    SET @allocation_sql = CONCAT(
      'UPDATE license_pool SET ',
      'peak_at = CASE WHEN in_use + 1 > peak_in_use THEN ? ELSE peak_at END, ',
      'peak_in_use = CASE WHEN in_use + 1 > peak_in_use THEN in_use + 1 ELSE peak_in_use END, ',
      'in_use = in_use + 1, version = version + 1, last_claim = ? ',
      'WHERE server_id = ? AND pool_key IN (', p_take, ') AND (limit_total IS NULL OR in_use < limit_total)');
    PREPARE allocation_take FROM @allocation_sql;
    EXECUTE allocation_take USING p_at, p_claim, p_server;
    SET taken = ROW_COUNT();
    DEALLOCATE PREPARE allocation_take;
  END IF;
  IF taken < p_take_count THEN
    SET @allocation_sql = CONCAT(
      'SELECT 0 AS committed, GROUP_CONCAT(pool_key) AS missed FROM license_pool ',
      'WHERE server_id = ? AND pool_key IN (', p_take, ') AND (last_claim IS NULL OR last_claim <> ?)');
    PREPARE allocation_missed FROM @allocation_sql;
    EXECUTE allocation_missed USING p_server, p_claim;
    DEALLOCATE PREPARE allocation_missed;
    ROLLBACK;
  ELSE
    IF p_deny <> '' THEN
      SET @allocation_sql = CONCAT(
        'UPDATE license_pool SET denials = denials + 1, version = version + 1 ',
        'WHERE server_id = ? AND pool_key IN (', p_deny, ')');
      PREPARE allocation_deny FROM @allocation_sql;
      EXECUTE allocation_deny USING p_server;
      DEALLOCATE PREPARE allocation_deny;
    END IF;
    COMMIT;
    SELECT 1 AS committed, NULL AS missed;
  END IF;
END`;

/** Licence pools, users, stations, sessions, denials, call ports and the server's licence state. */
export class Allocation1700000000201 implements MigrationInterface {
  name = 'Allocation1700000000201';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('server', [
      new TableColumn({ name: 'credential_id', type: 'varchar', length: '36', isNullable: true }),
      new TableColumn({ name: 'credential_hash', type: 'varchar', length: '64', isNullable: true }),
      new TableColumn({ name: 'credential_issued_at', type: 'bigint', isNullable: true }),
      new TableColumn({ name: 'license_file_id', type: 'varchar', length: '128', isNullable: true }),
      new TableColumn({ name: 'license_model', type: 'varchar', length: '20', isNullable: true }),
      new TableColumn({ name: 'license_type', type: 'varchar', length: '40', isNullable: true }),
      new TableColumn({ name: 'license_keys', type: 'text', isNullable: true }),
      new TableColumn({ name: 'license_loaded_at', type: 'bigint', isNullable: true }),
      new TableColumn({ name: 'license_expires_at', type: 'bigint', isNullable: true }),
      new TableColumn({ name: 'license_withdrawn_at', type: 'bigint', isNullable: true }),
      new TableColumn({ name: 'enforcement_stage', type: 'integer', default: 1 }),
      new TableColumn({ name: 'supervisor_disabled', type: 'integer', default: 0 }),
      new TableColumn({ name: 'call_port_limit', type: 'integer', isNullable: true }),
      new TableColumn({ name: 'enforcement_at', type: 'bigint', isNullable: true }),
      new TableColumn({ name: 'last_heartbeat_at', type: 'bigint', isNullable: true }),
      new TableColumn({ name: 'started_at', type: 'bigint', isNullable: true }),
    ]);

    await q.createTable(
      new Table({
        name: 'license_pool',
        columns: [
          { name: 'server_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'pool_key', type: 'varchar', length: '120', isPrimary: true },
          { name: 'in_file', type: 'integer', default: 0 },
          { name: 'file_total', type: 'integer', default: 0 },
          { name: 'limit_total', type: 'integer', isNullable: true },
          { name: 'in_use', type: 'integer', default: 0 },
          { name: 'configured', type: 'integer', default: 0 },
          { name: 'peak_in_use', type: 'integer', default: 0 },
          { name: 'peak_at', type: 'bigint', isNullable: true },
          { name: 'denials', type: 'integer', default: 0 },
          { name: 'version', type: 'integer', default: 1 },
          // The transaction that last took from the pool: tells a multi-pool take which rows it got.
          { name: 'last_claim', type: 'varchar', length: '36', isNullable: true },
        ],
      }),
    );

    await q.createTable(
      new Table({
        name: 'account_license_cap',
        columns: [
          { name: 'account_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'pool_key', type: 'varchar', length: '120', isPrimary: true },
          { name: 'cap', type: 'integer' },
          { name: 'set_at', type: 'bigint' },
        ],
      }),
    );

    await q.createTable(
      new Table({
        name: 'cic_user',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'server_id', type: 'varchar', length: '36' },
          { name: 'account_id', type: 'varchar', length: '36' },
          { name: 'name', type: 'varchar', length: '200' },
          { name: 'allocation_method', type: 'varchar', length: '20' },
          { name: 'licenses', type: 'text' },
          { name: 'queued_media_types', type: 'text' },
          { name: 'chosen_media_types', type: 'text', isNullable: true },
          { name: 'created_at', type: 'bigint' },
          { name: 'station_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'dynamic_phone', type: 'varchar', length: '40', isNullable: true },
          { name: 'held', type: 'text' },
          { name: 'capabilities', type: 'text' },
          { name: 'sessions', type: 'text' },
          { name: 'logged_on_at', type: 'bigint', isNullable: true },
          { name: 'last_seen_at', type: 'bigint', isNullable: true },
          // Bumped by every write: a logon reads the user without a lock and writes only if unchanged.
          { name: 'row_version', type: 'integer', default: 0 },
        ],
      }),
    );
    await q.createIndex(
      'cic_user',
      new TableIndex({ name: 'uq_cic_user_name', columnNames: ['server_id', 'name'], isUnique: true }),
    );
    await q.createIndex(
      'cic_user',
      new TableIndex({ name: 'ix_cic_user_station', columnNames: ['station_id'] }),
    );
    await q.createIndex(
      'cic_user',
      new TableIndex({ name: 'ix_cic_user_logged_on', columnNames: ['logged_on_at'] }),
    );

    await q.createTable(
      new Table({
        name: 'station',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'server_id', type: 'varchar', length: '36' },
          { name: 'account_id', type: 'varchar', length: '36' },
          { name: 'name', type: 'varchar', length: '200' },
          { name: 'kind', type: 'varchar', length: '30' },
          { name: 'enabled', type: 'integer', default: 1 },
          { name: 'licenses', type: 'text' },
          { name: 'created_at', type: 'bigint' },
        ],
      }),
    );
    await q.createIndex(
      'station',
      new TableIndex({ name: 'uq_station_name', columnNames: ['server_id', 'name'], isUnique: true }),
    );

    await q.createTable(
      new Table({
        name: 'logon_session',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'server_id', type: 'varchar', length: '36' },
          { name: 'account_id', type: 'varchar', length: '36' },
          { name: 'user_id', type: 'varchar', length: '36' },
          { name: 'station_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'dynamic_phone', type: 'varchar', length: '40', isNullable: true },
          { name: 'application', type: 'varchar', length: '100' },
          { name: 'licenses', type: 'text' },
          { name: 'started_at', type: 'bigint' },
          { name: 'logon_result', type: 'text' },
          { name: 'ended_at', type: 'bigint', isNullable: true },
          { name: 'end_cause', type: 'varchar', length: '30', isNullable: true },
          { name: 'end_result', type: 'text', isNullable: true },
        ],
      }),
    );
    // The logon's idempotency key: a replayed logon event collides here and changes nothing.
    await q.createIndex(
      'logon_session',
      new TableIndex({
        name: 'uq_logon_session_event',
        columnNames: ['server_id', 'user_id', 'application', 'started_at'],
        isUnique: true,
      }),
    );
    await q.createIndex(
      'logon_session',
      new TableIndex({ name: 'ix_logon_session_end', columnNames: ['user_id', 'application', 'ended_at'] }),
    );
    await q.createIndex(
      'logon_session',
      new TableIndex({ name: 'ix_logon_session_server', columnNames: ['server_id', 'started_at'] }),
    );

    await q.createTable(
      new Table({
        name: 'license_denial',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'server_id', type: 'varchar', length: '36' },
          { name: 'pool_key', type: 'varchar', length: '120' },
          { name: 'user_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'station_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'application', type: 'varchar', length: '100', isNullable: true },
          { name: 'reason', type: 'varchar', length: '30' },
          { name: 'occurred_at', type: 'bigint' },
        ],
      }),
    );
    await q.createIndex(
      'license_denial',
      new TableIndex({ name: 'ix_license_denial_server', columnNames: ['server_id', 'occurred_at'] }),
    );

    await q.createTable(
      new Table({
        name: 'open_call',
        columns: [
          { name: 'server_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'call_id', type: 'varchar', length: '100', isPrimary: true },
          { name: 'opened_at', type: 'bigint' },
        ],
      }),
    );

    if (q.connection.options.type === 'mariadb') await q.query(FINISH_PROCEDURE);

    await q.createTable(
      new Table({
        name: 'withdrawn_license_file',
        columns: [
          { name: 'file_id', type: 'varchar', length: '128', isPrimary: true },
          { name: 'account_id', type: 'varchar', length: '36' },
          { name: 'withdrawn_at', type: 'bigint' },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    if (q.connection.options.type === 'mariadb') await q.query('DROP PROCEDURE IF EXISTS allocation_finish');
    for (const table of [
      'withdrawn_license_file',
      'open_call',
      'license_denial',
      'logon_session',
      'station',
      'cic_user',
      'account_license_cap',
      'license_pool',
    ]) {
      await q.dropTable(table);
    }
    for (const column of [
      'started_at',
      'last_heartbeat_at',
      'enforcement_at',
      'call_port_limit',
      'supervisor_disabled',
      'enforcement_stage',
      'license_withdrawn_at',
      'license_expires_at',
      'license_loaded_at',
      'license_keys',
      'license_type',
      'license_model',
      'license_file_id',
      'credential_issued_at',
      'credential_hash',
      'credential_id',
    ]) {
      await q.dropColumn('server', column);
    }
  }
}
