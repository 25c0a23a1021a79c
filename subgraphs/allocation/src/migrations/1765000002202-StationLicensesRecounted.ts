import { type MigrationInterface, type QueryRunner } from 'typeorm';

const CALL_PORT_KEY = 'I3_SESSION_CALL_PORT';
const CONCURRENT_SUFFIX = '_CONCURRENT';

interface PoolRow {
  server_id: string;
  pool_key: string;
  in_use: unknown;
  configured: unknown;
}

const list = (text: unknown): string[] => {
  try {
    const value: unknown = JSON.parse(String(text ?? '[]'));
    return Array.isArray(value) ? value.filter((k): k is string => typeof k === 'string') : [];
  } catch {
    return [];
  }
};

/**
 * setStationLicenses used to change a station's licences without touching the pools: licences
 * added to stations were never taken, and those removed were never given back. Servers kept
 * those counts; left as they are, removing such a licence now would give back one that was
 * never taken. This recounts every assignable pool (not `_CONCURRENT` twins, not call ports,
 * which that bug never touched) from what is configured and held:
 *   configured = ASSIGNED users with the licence + stations with it,
 *   in use     = configured + sessions holding it (a dynamic remote logon's Basic Station).
 * A pool may come out above its total: holders keep their licences, statistics say so, and
 * nothing new is taken until it is back under. Written out here so that it stays what it was.
 */
export class StationLicensesRecounted1765000002202 implements MigrationInterface {
  name = 'StationLicensesRecounted1765000002202';

  async up(q: QueryRunner): Promise<void> {
    const pools = (await q.query(
      'SELECT server_id, pool_key, in_use, configured FROM license_pool ORDER BY server_id, pool_key',
    )) as PoolRow[];
    const byServer = new Map<string, PoolRow[]>();
    for (const pool of pools) {
      if (pool.pool_key === CALL_PORT_KEY || pool.pool_key.endsWith(CONCURRENT_SUFFIX)) continue;
      byServer.set(pool.server_id, [...(byServer.get(pool.server_id) ?? []), pool]);
    }
    for (const [serverId, serverPools] of byServer) {
      const configured = new Map<string, number>();
      const held = new Map<string, number>();
      const count = (into: Map<string, number>, keys: string[]): void => {
        for (const key of new Set(keys)) into.set(key, (into.get(key) ?? 0) + 1);
      };
      const users = (await q.query(
        'SELECT allocation_method, licenses, held FROM cic_user WHERE server_id = ?',
        [serverId],
      )) as Array<{ allocation_method: string; licenses: unknown; held: unknown }>;
      for (const user of users) {
        if (user.allocation_method === 'ASSIGNED') count(configured, list(user.licenses));
        count(held, list(user.held));
      }
      const stations = (await q.query('SELECT licenses FROM station WHERE server_id = ?', [
        serverId,
      ])) as Array<{ licenses: unknown }>;
      for (const station of stations) count(configured, list(station.licenses));

      for (const pool of serverPools) {
        const assigned = configured.get(pool.pool_key) ?? 0;
        const inUse = assigned + (held.get(pool.pool_key) ?? 0);
        if (Number(pool.in_use) === inUse && Number(pool.configured) === assigned) continue;
        await q.query(
          'UPDATE license_pool SET in_use = ?, configured = ?, ' +
            'peak_in_use = CASE WHEN peak_in_use < ? THEN ? ELSE peak_in_use END, version = version + 1 ' +
            'WHERE server_id = ? AND pool_key = ?',
          [inUse, assigned, inUse, inUse, serverId, pool.pool_key],
        );
      }
    }
  }

  async down(): Promise<void> {
    // The old counts are not restored: they let stations hold licences the pools never gave.
  }
}
