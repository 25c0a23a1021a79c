import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * allocation_member_decide (MariaDB): the verdict on one logon or logoff inside a group commit
 * (see GroupCommit). Each member runs after `SAVEPOINT allocation_member`: its writes, then its
 * pool updates (give back, count denials, take: each pool's own condition decides), then this
 * call with `p_ok` (1 when every guarded write found its row) and `p_taken` (the rows the take
 * changed). It keeps the member, or rolls back to the member's savepoint: `stale` when the user
 * changed since it was read, `missed` naming the pools that had no room. Nothing is committed
 * here; the group commits once after its last member. Only a member rolled back answers a row
 * (tagged with its index): a member without one was kept, and is committed with the group.
 * Static SQL only (the keys come as a plain comma list for FIND_IN_SET).
 */
const DECIDE_PROCEDURE = `
CREATE PROCEDURE allocation_member_decide(
  IN p_member INT, IN p_ok INT, IN p_taken INT, IN p_take_count INT,
  IN p_server VARCHAR(36), IN p_take TEXT, IN p_claim VARCHAR(36))
BEGIN
  DECLARE missed TEXT DEFAULT NULL;
  IF p_ok IS NULL OR p_ok <> 1 THEN
    ROLLBACK TO SAVEPOINT allocation_member;
    SELECT p_member AS member, 0 AS committed, NULL AS missed, 1 AS stale;
  ELSEIF p_taken < p_take_count THEN
    SELECT GROUP_CONCAT(pool_key ORDER BY pool_key) INTO missed FROM license_pool
      WHERE server_id = p_server AND FIND_IN_SET(pool_key, p_take) > 0
        AND (last_claim IS NULL OR last_claim <> p_claim);
    ROLLBACK TO SAVEPOINT allocation_member;
    SELECT p_member AS member, 0 AS committed, missed, 0 AS stale;
  END IF;
END`;

export class GroupCommit1764400000000 implements MigrationInterface {
  name = 'GroupCommit1764400000000';

  async up(q: QueryRunner): Promise<void> {
    if (q.connection.options.type !== 'mariadb') return;
    await q.query('DROP PROCEDURE IF EXISTS allocation_member_decide');
    await q.query(DECIDE_PROCEDURE);
  }

  async down(q: QueryRunner): Promise<void> {
    if (q.connection.options.type === 'mariadb')
      await q.query('DROP PROCEDURE IF EXISTS allocation_member_decide');
  }
}
