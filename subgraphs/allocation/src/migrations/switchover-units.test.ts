import { EVENT_ENTITIES, EVENT_MIGRATIONS, type Database, Topics, openDatabase } from '@lic/shared';
import { describeEachDatabase, testEnvironment } from '@lic/testing';
import { SwitchoverUnits1765000005200 } from './1765000005200-SwitchoverUnits.js';
import { migrations } from './index.js';

const CLIENT = 'I3_ACCESS_CLIENT';
const CONCURRENT = 'I3_ACCESS_CLIENT_CONCURRENT';
const TRACKER = 'I3_ACCESS_TRACKER';
const BASIC = 'I3_LICENSE_BASIC_STATION';

const open = (env: ReturnType<typeof testEnvironment>, upTo: 'before' | 'all'): Promise<Database> =>
  openDatabase({
    config: env.config,
    name: 'allocation',
    entities: [...EVENT_ENTITIES],
    migrations: [
      ...EVENT_MIGRATIONS,
      ...(upTo === 'all'
        ? migrations
        : migrations.slice(0, migrations.indexOf(SwitchoverUnits1765000005200))),
    ],
  });

/**
 * Data written before switchover units existed: each member of a pair had its own pools, users
 * and stations. The migration merges each pair into one unit under the member registered first.
 */
describeEachDatabase('migration SwitchoverUnits1765000005200', (database) => {
  it('merges each existing pair into one unit: users and stations move (names kept free), the partner’s pools go, counts follow, its sessions end', async () => {
    const env = testEnvironment({ database });
    let db = await open(env, 'before');
    try {
      const q = (sql: string, params: unknown[] = []) => db.dataSource.query(sql, params);
      const server = (id: string, name: string, partner: string | null, createdAt: number) =>
        q(
          'INSERT INTO server (id, account_id, install_site_id, name, machine_key, switchover_partner_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
          [id, 'acc', 'site', name, name.toLowerCase(), partner, createdAt],
        );
      await server('srv-p', 'cic-p', 'srv-s', 1000);
      await server('srv-s', 'cic-s', 'srv-p', 2000);
      await server('srv-x', 'cic-x', null, 500);
      const pool = (serverId: string, key: string, total: number, inUse: number, configured: number) =>
        q(
          'INSERT INTO license_pool (server_id, pool_key, in_file, file_total, limit_total, in_use, configured, peak_in_use) ' +
            'VALUES (?, ?, 1, ?, ?, ?, ?, ?)',
          [serverId, key, total, total, inUse, configured, inUse],
        );
      // The primary: alice (assigned client), bob (concurrent, logged on), station ws-1.
      await pool('srv-p', CLIENT, 5, 1, 1);
      await pool('srv-p', CONCURRENT, 5, 1, 1);
      await pool('srv-p', BASIC, 5, 1, 1);
      // The partner, with its own copy of the file: alice and dave (assigned), carol (concurrent,
      // logged on), ws-1, and a Tracker only its file had.
      await pool('srv-s', CLIENT, 5, 2, 2);
      await pool('srv-s', CONCURRENT, 5, 1, 1);
      await pool('srv-s', BASIC, 5, 1, 1);
      await pool('srv-s', TRACKER, 1, 1, 1);
      await pool('srv-s', 'I3_SESSION_CALL_PORT', 4, 1, 0);
      const user = (
        id: string,
        serverId: string,
        name: string,
        method: string,
        licenses: string[],
        session: { id: string; application: string; startedAt: number } | null,
      ) =>
        q(
          'INSERT INTO cic_user (id, server_id, account_id, name, allocation_method, licenses, queued_media_types, ' +
            'created_at, station_id, held, capabilities, sessions, logged_on_at, last_seen_at) ' +
            "VALUES (?, ?, 'acc', ?, ?, ?, '[]', 1000, ?, ?, ?, ?, ?, ?)",
          [
            id,
            serverId,
            name,
            method,
            JSON.stringify(licenses),
            session ? `st-${serverId}` : null,
            JSON.stringify(session ? [CONCURRENT] : []),
            JSON.stringify(session ? [CLIENT, BASIC] : []),
            JSON.stringify(session ? [session] : []),
            session ? session.startedAt : null,
            session ? session.startedAt : null,
          ],
        );
      await user('u-alice-p', 'srv-p', 'alice', 'ASSIGNED', [CLIENT], null);
      await user('u-bob', 'srv-p', 'bob', 'CONCURRENT', [CLIENT], {
        id: 'ses-bob',
        application: 'Interaction Connect',
        startedAt: 5000,
      });
      await user('u-alice-s', 'srv-s', 'Alice', 'ASSIGNED', [CLIENT, TRACKER], null);
      await user('u-dave', 'srv-s', 'dave', 'ASSIGNED', [CLIENT], null);
      await user('u-carol', 'srv-s', 'carol', 'CONCURRENT', [CLIENT], {
        id: 'ses-carol',
        application: 'Interaction Desktop',
        startedAt: 6000,
      });
      for (const [sessionId, serverId, userId, startedAt] of [
        ['ses-bob', 'srv-p', 'u-bob', 5000],
        ['ses-carol', 'srv-s', 'u-carol', 6000],
      ] as const) {
        await q(
          'INSERT INTO logon_session (id, server_id, account_id, user_id, station_id, application, licenses, started_at, logon_result) ' +
            "VALUES (?, ?, 'acc', ?, ?, 'Interaction Connect', '[]', ?, '{}')",
          [sessionId, serverId, userId, `st-${serverId}`, startedAt],
        );
      }
      for (const [id, serverId] of [
        ['st-srv-p', 'srv-p'],
        ['st-srv-s', 'srv-s'],
      ] as const) {
        await q(
          'INSERT INTO station (id, server_id, account_id, name, kind, enabled, licenses, created_at) ' +
            "VALUES (?, ?, 'acc', 'ws-1', 'WORKSTATION', 1, ?, 1000)",
          [id, serverId, JSON.stringify([BASIC])],
        );
      }
      await q("INSERT INTO open_call (server_id, call_id, opened_at) VALUES ('srv-s', 'call-1', 1000)");
      await q(
        'INSERT INTO license_denial (id, server_id, pool_key, reason, occurred_at) ' +
          "VALUES ('den-1', 'srv-s', ?, 'EXHAUSTED', 1000)",
        [CONCURRENT],
      );
      await db.close();

      db = await open(env, 'all');
      const rows = <T>(sql: string, params: unknown[] = []) =>
        db.dataSource.query(sql, params) as Promise<T[]>;

      expect(
        (
          await rows<{ id: string; unit_id: string; standby: unknown }>(
            'SELECT id, unit_id, standby FROM server ORDER BY id',
          )
        ).map((s) => [s.id, s.unit_id, Number(s.standby)]),
      ).toEqual([
        ['srv-p', 'srv-p', 0],
        ['srv-s', 'srv-p', 1],
        ['srv-x', 'srv-x', 0],
      ]);

      // Users and stations are the unit's; a name the unit already had gets the partner's name added.
      const users = await rows<{
        id: string;
        server_id: string;
        name: string;
        sessions: string;
        held: string;
      }>('SELECT id, server_id, name, sessions, held FROM cic_user ORDER BY id');
      expect(users.map((u) => [u.id, u.server_id, u.name])).toEqual([
        ['u-alice-p', 'srv-p', 'alice'],
        ['u-alice-s', 'srv-p', 'Alice (cic-s)'],
        ['u-bob', 'srv-p', 'bob'],
        ['u-carol', 'srv-p', 'carol'],
        ['u-dave', 'srv-p', 'dave'],
      ]);
      const carol = users.find((u) => u.id === 'u-carol')!;
      expect([JSON.parse(carol.sessions), JSON.parse(carol.held)]).toEqual([[], []]);
      expect(JSON.parse(users.find((u) => u.id === 'u-bob')!.sessions)).toHaveLength(1);
      expect(
        (
          await rows<{ server_id: string; name: string }>('SELECT server_id, name FROM station ORDER BY id')
        ).map((s) => [s.server_id, s.name]),
      ).toEqual([
        ['srv-p', 'ws-1'],
        ['srv-p', 'ws-1 (cic-s)'],
      ]);

      // One set of pools: the partner's are gone, the unit's count what is assigned and held.
      const pools = await rows<{
        server_id: string;
        pool_key: string;
        limit_total: unknown;
        in_use: unknown;
        configured: unknown;
      }>(
        'SELECT server_id, pool_key, limit_total, in_use, configured FROM license_pool ORDER BY server_id, pool_key',
      );
      expect(
        pools.map((p) => [
          p.server_id,
          p.pool_key,
          Number(p.limit_total),
          Number(p.in_use),
          Number(p.configured),
        ]),
      ).toEqual([
        ['srv-p', CLIENT, 5, 3, 3],
        ['srv-p', CONCURRENT, 5, 1, 2],
        ['srv-p', TRACKER, 0, 1, 1],
        ['srv-p', BASIC, 5, 2, 2],
      ]);
      expect(await rows('SELECT call_id FROM open_call')).toEqual([]);
      expect(await rows<{ server_id: string }>('SELECT server_id FROM license_denial')).toEqual([
        { server_id: 'srv-p' },
      ]);

      // The partner's open session ended, with the event billing needs; the unit's own runs on.
      const sessions = await rows<{ id: string; end_cause: string | null }>(
        'SELECT id, end_cause FROM logon_session ORDER BY id',
      );
      expect(sessions).toEqual([
        { id: 'ses-bob', end_cause: null },
        { id: 'ses-carol', end_cause: 'SWITCHOVER' },
      ]);
      const events = await rows<{ payload: string }>('SELECT payload FROM outbox_event WHERE topic = ?', [
        Topics.SessionEnded,
      ]);
      expect(events.map((e) => JSON.parse(e.payload) as Record<string, unknown>)).toEqual([
        expect.objectContaining({
          sessionId: 'ses-carol',
          serverId: 'srv-s',
          userId: 'u-carol',
          application: 'Interaction Desktop',
          licenses: [CLIENT, CONCURRENT, BASIC],
          cause: 'SWITCHOVER',
        }),
      ]);
    } finally {
      await db.close();
      await env.cleanup();
    }
  });
});
