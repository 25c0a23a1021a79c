import { describeEachDatabase, testEnvironment } from '@lic/testing';
import { CallPortsBounded1765000002200 } from './1765000002200-CallPortsBounded.js';
import { migrationsBefore, openAllocationDatabase } from '../../test/migrations.js';

const CALL_PORT_KEY = 'I3_SESSION_CALL_PORT';

/** Subscription servers loaded before call ports were bounded get the licensed bound. */
describeEachDatabase('migration CallPortsBounded', (database) => {
  it('bounds the call ports of servers loaded before it by the licensed number (caps and enforcement lower it)', async () => {
    const env = testEnvironment({ database });
    try {
      // The schema as it stood before this migration (later ones expect rows it never wrote).
      const before = await openAllocationDatabase(
        env.config,
        migrationsBefore(CallPortsBounded1765000002200),
      );
      const servers: Array<[string, string, string, number | null, number | null]> = [
        // id, account, model, enforcement's call port limit, loaded call ports (null: uncapped pool)
        ['sub', 'acc-1', 'SUBSCRIPTION', null, null],
        ['sub-stage5', 'acc-1', 'SUBSCRIPTION', 4, 4],
        ['sub-capped', 'acc-2', 'SUBSCRIPTION', null, 5],
        ['perpetual', 'acc-1', 'PERPETUAL', null, 20],
      ];
      for (const [id, account, model, enforced, limit] of servers) {
        await before.dataSource.query(
          'INSERT INTO server (id, account_id, install_site_id, name, machine_key, created_at, license_model, call_port_limit) ' +
            'VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
          [id, account, 'site', id, id, 0, model, enforced],
        );
        await before.dataSource.query(
          'INSERT INTO license_pool (server_id, pool_key, in_file, file_total, limit_total, in_use, configured, ' +
            'peak_in_use, peak_at, denials, version) VALUES (?, ?, 1, 20, ?, 0, 0, 0, NULL, 0, 1)',
          [id, CALL_PORT_KEY, limit],
        );
      }
      await before.dataSource.query(
        'INSERT INTO account_license_cap (account_id, pool_key, cap, set_at) VALUES (?, ?, ?, ?)',
        ['acc-2', CALL_PORT_KEY, 5, 0],
      );
      await before.close();

      const after = await openAllocationDatabase(env.config);
      const rows = (await after.dataSource.query(
        'SELECT server_id, limit_total FROM license_pool WHERE pool_key = ? ORDER BY server_id',
        [CALL_PORT_KEY],
      )) as Array<{ server_id: string; limit_total: unknown }>;
      await after.close();
      expect(Object.fromEntries(rows.map((r) => [r.server_id, Number(r.limit_total)]))).toEqual({
        perpetual: 20,
        sub: 20,
        'sub-capped': 5,
        'sub-stage5': 4,
      });
    } finally {
      await env.cleanup();
    }
  });
});
