import { describeEachDatabase, testEnvironment } from '@lic/testing';
import { StationLicensesRecounted1765000002202 } from './1765000002202-StationLicensesRecounted.js';
import { migrationsBefore, openAllocationDatabase } from '../../test/migrations.js';

const CLIENT = 'I3_ACCESS_CLIENT';
const BASIC = 'I3_LICENSE_BASIC_STATION';
const CALL_PORT = 'I3_SESSION_CALL_PORT';

/*
 * "The station acquires the license immediately ... Removing the license from the station or
 * deleting the station releases the acquired Assignable license": stations whose licences were
 * set while setStationLicenses left the pools alone are counted in their pools.
 */
describeEachDatabase('migration StationLicensesRecounted', (database) => {
  it('counts the licences stations hold in their pools, leaving concurrent twins and call ports alone', async () => {
    const env = testEnvironment({ database });
    try {
      // The schema as it stood before this migration (later ones expect rows it never wrote).
      const before = await openAllocationDatabase(
        env.config,
        migrationsBefore(StationLicensesRecounted1765000002202),
      );
      const q = (sql: string, params: unknown[]) => before.dataSource.query(sql, params);
      await q(
        'INSERT INTO server (id, account_id, install_site_id, name, created_at, license_model) VALUES (?, ?, ?, ?, ?, ?)',
        ['srv', 'acc', 'site', 'cic', 0, 'PERPETUAL'],
      );
      // As the bug left them: client access 1 of 1 taken by a user, three stations holding it uncounted.
      const pools: Array<[string, number, number, number]> = [
        [CLIENT, 1, 1, 1],
        [`${CLIENT}_CONCURRENT`, 5, 1, 3],
        [BASIC, 5, 4, 3],
        [CALL_PORT, 4, 2, 0],
      ];
      for (const [key, total, inUse, configured] of pools) {
        await q(
          'INSERT INTO license_pool (server_id, pool_key, in_file, file_total, limit_total, in_use, configured, ' +
            'peak_in_use, peak_at, denials, version) VALUES (?, ?, 1, ?, ?, ?, ?, ?, NULL, 0, 1)',
          ['srv', key, total, total, inUse, configured, inUse],
        );
      }
      const user = (id: string, method: string, licenses: string[], held: string[]) =>
        q(
          'INSERT INTO cic_user (id, server_id, account_id, name, allocation_method, licenses, queued_media_types, ' +
            'created_at, held, capabilities, sessions, row_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)',
          [id, 'srv', 'acc', id, method, JSON.stringify(licenses), '[]', 0, JSON.stringify(held), '[]', '[]'],
        );
      await user('assigned', 'ASSIGNED', [CLIENT], []);
      await user('concurrent', 'CONCURRENT', [CLIENT], [`${CLIENT}_CONCURRENT`]);
      await user('dynamic', 'ASSIGNED', [], [BASIC]);
      for (let i = 0; i < 3; i += 1) {
        await q(
          'INSERT INTO station (id, server_id, account_id, name, kind, enabled, licenses, created_at) VALUES (?, ?, ?, ?, ?, 1, ?, 0)',
          [`st-${i}`, 'srv', 'acc', `st-${i}`, 'WORKSTATION', JSON.stringify([BASIC, CLIENT])],
        );
      }
      await before.close();

      const after = await openAllocationDatabase(env.config);
      const rows = (await after.dataSource.query(
        'SELECT pool_key, in_use, configured, peak_in_use FROM license_pool WHERE server_id = ? ORDER BY pool_key',
        ['srv'],
      )) as Array<{ pool_key: string; in_use: unknown; configured: unknown; peak_in_use: unknown }>;
      await after.close();
      expect(
        Object.fromEntries(
          rows.map((r) => [r.pool_key, [Number(r.in_use), Number(r.configured), Number(r.peak_in_use)]]),
        ),
      ).toEqual({
        // The user's and the three stations' client access: 4 held on a file of 1 (statistics say so).
        [CLIENT]: [4, 4, 4],
        [`${CLIENT}_CONCURRENT`]: [1, 3, 1],
        // Three stations, and the dynamic remote logon's Basic Station.
        [BASIC]: [4, 3, 4],
        [CALL_PORT]: [2, 0, 2],
      });
    } finally {
      await env.cleanup();
    }
  });
});
