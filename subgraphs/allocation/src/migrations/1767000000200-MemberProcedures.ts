import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * allocation_logon_member and allocation_logoff_member (MariaDB): a whole logon or logoff of a
 * group commit in one CALL (see GroupCommit), instead of a list of statements each parsed on
 * every send. The caller opens the member's savepoint (`SAVEPOINT allocation_member`) and may
 * send writes of its own before the CALL (denials, sessions ended elsewhere). The procedure
 * writes the session, the user's presence (only if its row_version is still the one read), the
 * outbox event and the pool updates, one static statement per pool key in the order given (the
 * keys come sorted, as a plain comma list), and decides like allocation_member_decide: it keeps
 * the member, or rolls back to the savepoint, answering `stale` (the user changed since it was
 * read) or `missed` (the pools that had no room). Only a member rolled back answers a row.
 * The parameters follow the columns of the statements they replace, in the same order.
 */
const POOLS_PROCEDURE = `
CREATE PROCEDURE allocation_member_pools(
  IN p_member INT, IN p_server VARCHAR(36), IN p_give TEXT, IN p_take TEXT, IN p_deny TEXT,
  IN p_at BIGINT, IN p_claim VARCHAR(36))
BEGIN
  DECLARE v_rest TEXT;
  DECLARE v_key VARCHAR(120);
  DECLARE v_missed TEXT DEFAULT NULL;
  SET v_rest = p_give;
  WHILE v_rest <> '' DO
    SET v_key = SUBSTRING_INDEX(v_rest, ',', 1);
    SET v_rest = IF(LOCATE(',', v_rest) > 0, SUBSTRING(v_rest, LOCATE(',', v_rest) + 1), '');
    UPDATE license_pool SET in_use = CASE WHEN in_use > 0 THEN in_use - 1 ELSE 0 END, version = version + 1
      WHERE server_id = p_server AND pool_key = v_key;
  END WHILE;
  SET v_rest = p_deny;
  WHILE v_rest <> '' DO
    SET v_key = SUBSTRING_INDEX(v_rest, ',', 1);
    SET v_rest = IF(LOCATE(',', v_rest) > 0, SUBSTRING(v_rest, LOCATE(',', v_rest) + 1), '');
    UPDATE license_pool SET denials = denials + 1, version = version + 1
      WHERE server_id = p_server AND pool_key = v_key;
  END WHILE;
  SET v_rest = p_take;
  WHILE v_rest <> '' DO
    SET v_key = SUBSTRING_INDEX(v_rest, ',', 1);
    SET v_rest = IF(LOCATE(',', v_rest) > 0, SUBSTRING(v_rest, LOCATE(',', v_rest) + 1), '');
    UPDATE license_pool SET
      peak_at = CASE WHEN in_use + 1 > peak_in_use THEN p_at ELSE peak_at END,
      peak_in_use = CASE WHEN in_use + 1 > peak_in_use THEN in_use + 1 ELSE peak_in_use END,
      in_use = in_use + 1, version = version + 1, last_claim = p_claim
      WHERE server_id = p_server AND pool_key = v_key AND (limit_total IS NULL OR in_use < limit_total);
    IF ROW_COUNT() <> 1 THEN
      SET v_missed = IF(v_missed IS NULL, v_key, CONCAT(v_missed, ',', v_key));
    END IF;
  END WHILE;
  IF v_missed IS NOT NULL THEN
    ROLLBACK TO SAVEPOINT allocation_member;
    SELECT p_member AS member, 0 AS committed, v_missed AS missed, 0 AS stale;
  END IF;
END`;

const STALE = `
    ROLLBACK TO SAVEPOINT allocation_member;
    SELECT p_member AS member, 0 AS committed, NULL AS missed, 1 AS stale;`;

const PRESENCE_PARAMETERS = `
  IN p_station_id VARCHAR(36), IN p_dynamic_phone VARCHAR(40), IN p_held TEXT, IN p_capabilities TEXT,
  IN p_sessions TEXT, IN p_logged_on_at BIGINT, IN p_last_seen_at BIGINT, IN p_user VARCHAR(36),
  IN p_row_version INT`;

const PRESENCE_UPDATE = `
  UPDATE cic_user SET station_id = p_station_id, dynamic_phone = p_dynamic_phone, held = p_held,
    capabilities = p_capabilities, sessions = p_sessions, logged_on_at = p_logged_on_at,
    last_seen_at = p_last_seen_at, row_version = row_version + 1
    WHERE id = p_user AND row_version = p_row_version;`;

const EVENT_PARAMETERS = `
  IN p_event_id VARCHAR(36), IN p_topic VARCHAR(100), IN p_payload TEXT, IN p_occurred_at BIGINT,
  IN p_created_at BIGINT, IN p_trace_parent VARCHAR(55)`;

const EVENT_INSERT = `
    INSERT INTO outbox_event (event_id, topic, payload, occurred_at, created_at, published_at, trace_parent)
      VALUES (p_event_id, p_topic, p_payload, p_occurred_at, p_created_at, NULL, p_trace_parent);`;

const POOL_PARAMETERS = `
  IN p_server VARCHAR(36), IN p_give TEXT, IN p_take TEXT, IN p_deny TEXT, IN p_at BIGINT,
  IN p_claim VARCHAR(36)`;

const LOGON_PROCEDURE = `
CREATE PROCEDURE allocation_logon_member(
  IN p_member INT,
  IN p_id VARCHAR(36), IN p_session_server VARCHAR(36), IN p_account_id VARCHAR(36),
  IN p_session_user VARCHAR(36), IN p_session_station VARCHAR(36), IN p_session_phone VARCHAR(40),
  IN p_application VARCHAR(100), IN p_licenses TEXT, IN p_started_at BIGINT, IN p_logon_result TEXT,
  ${PRESENCE_PARAMETERS},
  ${EVENT_PARAMETERS},
  ${POOL_PARAMETERS})
BEGIN
  INSERT INTO logon_session (id, server_id, account_id, user_id, station_id, dynamic_phone, application,
    licenses, started_at, logon_result, ended_at, end_cause, end_result)
    VALUES (p_id, p_session_server, p_account_id, p_session_user, p_session_station, p_session_phone,
      p_application, p_licenses, p_started_at, p_logon_result, NULL, NULL, NULL);
  ${PRESENCE_UPDATE}
  IF ROW_COUNT() <> 1 THEN ${STALE}
  ELSE ${EVENT_INSERT}
    CALL allocation_member_pools(p_member, p_server, p_give, p_take, p_deny, p_at, p_claim);
  END IF;
END`;

const LOGOFF_PROCEDURE = `
CREATE PROCEDURE allocation_logoff_member(
  IN p_member INT,
  IN p_ended_at BIGINT, IN p_end_cause VARCHAR(30), IN p_end_result TEXT, IN p_session VARCHAR(36),
  ${EVENT_PARAMETERS},
  ${PRESENCE_PARAMETERS},
  ${POOL_PARAMETERS})
BEGIN
  UPDATE logon_session SET ended_at = p_ended_at, end_cause = p_end_cause, end_result = p_end_result
    WHERE id = p_session AND ended_at IS NULL;
  ${EVENT_INSERT}
  ${PRESENCE_UPDATE}
  IF ROW_COUNT() <> 1 THEN ${STALE}
  ELSE
    CALL allocation_member_pools(p_member, p_server, p_give, p_take, p_deny, p_at, p_claim);
  END IF;
END`;

const PROCEDURES = ['allocation_logon_member', 'allocation_logoff_member', 'allocation_member_pools'];

export class MemberProcedures1767000000200 implements MigrationInterface {
  name = 'MemberProcedures1767000000200';

  async up(q: QueryRunner): Promise<void> {
    if (q.connection.options.type !== 'mariadb') return;
    for (const name of PROCEDURES) await q.query(`DROP PROCEDURE IF EXISTS ${name}`);
    await q.query(POOLS_PROCEDURE);
    await q.query(LOGON_PROCEDURE);
    await q.query(LOGOFF_PROCEDURE);
  }

  async down(q: QueryRunner): Promise<void> {
    if (q.connection.options.type !== 'mariadb') return;
    for (const name of PROCEDURES) await q.query(`DROP PROCEDURE IF EXISTS ${name}`);
  }
}
