import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * allocation_finish behind a guard (MariaDB): a logon or logoff sends its writes and this call in
 * one batch (see PoolStore.finish); `p_ok` is 0 when a guarded write missed its row (the user
 * changed since it was read), and then everything rolls back and the caller reads again.
 */
const GUARDED_PROCEDURE = `
CREATE PROCEDURE allocation_finish_guarded(
  IN p_server VARCHAR(36), IN p_give TEXT, IN p_take TEXT, IN p_take_count INT, IN p_deny TEXT,
  IN p_at BIGINT, IN p_claim VARCHAR(36), IN p_ok INT)
BEGIN
  IF p_ok IS NULL OR p_ok <> 1 THEN
    ROLLBACK;
    SELECT 0 AS committed, NULL AS missed, 1 AS stale;
  ELSE
    CALL allocation_finish(p_server, p_give, p_take, p_take_count, p_deny, p_at, p_claim);
  END IF;
END`;

export class FinishGuarded1764300000200 implements MigrationInterface {
  name = 'FinishGuarded1764300000200';

  async up(q: QueryRunner): Promise<void> {
    if (q.connection.options.type !== 'mariadb') return;
    await q.query('DROP PROCEDURE IF EXISTS allocation_finish_guarded');
    await q.query(GUARDED_PROCEDURE);
  }

  async down(q: QueryRunner): Promise<void> {
    if (q.connection.options.type === 'mariadb')
      await q.query('DROP PROCEDURE IF EXISTS allocation_finish_guarded');
  }
}
