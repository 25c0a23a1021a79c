import { type MigrationInterface, type QueryRunner } from 'typeorm';

const CALL_PORT_KEY = 'I3_SESSION_CALL_PORT';

interface CallPortRow {
  server_id: string;
  in_file: unknown;
  file_total: unknown;
  limit_total: unknown;
  license_model: string | null;
  call_port_limit: unknown;
  cap: unknown;
}

const numberOrNull = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value);

/**
 * Call ports were uncapped on SUBSCRIPTION servers; they are now bounded by the licensed number
 * for every model (a subscription account's cap can only lower it, enforcement lowers it at
 * stages 5 and 6). Servers whose file loaded before keep their pools: this sets each call-port
 * pool's limit as the code now computes it when a file loads. The rule is written out here, not
 * imported, so that this migration stays what it was when it shipped.
 */
export class CallPortsBounded1765000002200 implements MigrationInterface {
  name = 'CallPortsBounded1765000002200';

  async up(q: QueryRunner): Promise<void> {
    const rows = (await q.query(
      'SELECT p.server_id, p.in_file, p.file_total, p.limit_total, s.license_model, s.call_port_limit, c.cap ' +
        'FROM license_pool p JOIN server s ON s.id = p.server_id ' +
        'LEFT JOIN account_license_cap c ON c.account_id = s.account_id AND c.pool_key = p.pool_key ' +
        'WHERE p.pool_key = ?',
      [CALL_PORT_KEY],
    )) as CallPortRow[];
    for (const row of rows) {
      let limit = 0;
      if (Number(row.in_file) === 1 && row.license_model !== null) {
        limit = Number(row.file_total);
        const cap = numberOrNull(row.cap);
        if (row.license_model === 'SUBSCRIPTION' && cap !== null) limit = Math.min(limit, cap);
        const enforced = numberOrNull(row.call_port_limit);
        if (enforced !== null) limit = Math.min(limit, enforced);
      }
      if (numberOrNull(row.limit_total) === limit) continue;
      await q.query(
        'UPDATE license_pool SET limit_total = ?, version = version + 1 WHERE server_id = ? AND pool_key = ?',
        [limit, row.server_id, CALL_PORT_KEY],
      );
    }
  }

  async down(): Promise<void> {
    // The old, uncapped limits are not restored: they let more calls through than were licensed.
  }
}
