import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * allocation_member_finish (MariaDB): the last step of one logon or logoff inside a group commit
 * (see GroupCommit). Each member of the group runs its writes after `SAVEPOINT allocation_member`
 * and then this call, which either updates the pools (each pool's own condition decides) or rolls
 * back to the member's savepoint: `stale` when a guarded write missed its row (`p_ok` is not 1),
 * `missed` naming the pools that had no room. Nothing is committed here; the group commits once
 * after its last member. Each call answers one row tagged with the member's index.
 */
const MEMBER_PROCEDURE = `
CREATE PROCEDURE allocation_member_finish(
  IN p_member INT, IN p_server VARCHAR(36), IN p_give TEXT, IN p_take TEXT, IN p_take_count INT,
  IN p_deny TEXT, IN p_at BIGINT, IN p_claim VARCHAR(36), IN p_ok INT)
BEGIN
  DECLARE taken INT DEFAULT 0;
  IF p_ok IS NULL OR p_ok <> 1 THEN
    ROLLBACK TO SAVEPOINT allocation_member;
    SELECT p_member AS member, 0 AS committed, NULL AS missed, 1 AS stale;
  ELSE
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
        'SELECT GROUP_CONCAT(pool_key) INTO @allocation_missed FROM license_pool ',
        'WHERE server_id = ? AND pool_key IN (', p_take, ') AND (last_claim IS NULL OR last_claim <> ?)');
      PREPARE allocation_missed FROM @allocation_sql;
      EXECUTE allocation_missed USING p_server, p_claim;
      DEALLOCATE PREPARE allocation_missed;
      ROLLBACK TO SAVEPOINT allocation_member;
      SELECT p_member AS member, 0 AS committed, @allocation_missed AS missed, 0 AS stale;
    ELSE
      IF p_deny <> '' THEN
        SET @allocation_sql = CONCAT(
          'UPDATE license_pool SET denials = denials + 1, version = version + 1 ',
          'WHERE server_id = ? AND pool_key IN (', p_deny, ')');
        PREPARE allocation_deny FROM @allocation_sql;
        EXECUTE allocation_deny USING p_server;
        DEALLOCATE PREPARE allocation_deny;
      END IF;
      SELECT p_member AS member, 1 AS committed, NULL AS missed, 0 AS stale;
    END IF;
  END IF;
END`;

export class GroupCommit1764400000000 implements MigrationInterface {
  name = 'GroupCommit1764400000000';

  async up(q: QueryRunner): Promise<void> {
    if (q.connection.options.type !== 'mariadb') return;
    await q.query('DROP PROCEDURE IF EXISTS allocation_member_finish');
    await q.query(MEMBER_PROCEDURE);
  }

  async down(q: QueryRunner): Promise<void> {
    if (q.connection.options.type === 'mariadb')
      await q.query('DROP PROCEDURE IF EXISTS allocation_member_finish');
  }
}
