import { randomUUID } from 'node:crypto';
import { EVENT_ENTITIES, EVENT_MIGRATIONS, InProcessTransport, ManualClock, openDatabase } from '@lic/shared';
import { describeEachDatabase, graphqlData, testEnvironment, tokenFor } from '@lic/testing';
import { entities } from '../entities.js';
import { createServer } from '../server.js';
import { SESSIONS_QUERY, type SessionsResult } from '../../test/harness.js';
import { BillingAccounts1700000000300 } from './1700000000300-BillingAccounts.js';
import { Usage1700000000301 } from './1700000000301-Usage.js';

const at = (hhmm: string) => Date.parse(`2020-05-04T${hhmm}:00.000Z`);

/**
 * Upgrading a database of the previous release (category mapping 2020R1): usage events get the
 * telephone-only flag (off for every stored event), and sessions derived with 2020R1 are derived
 * again with the current mapping, so that a dialer supervisor plug-in user billed as a business
 * user is billed as an agent with SUPERVISOR ("ALL SUPERVISOR LICENSES").
 */
describeEachDatabase('migration 1765000003100 (user licence categories)', (database) => {
  it('keeps the stored usage and derives it again with the current mapping', async () => {
    const env = testEnvironment({ database });
    try {
      const serverId = randomUUID();
      const accountId = randomUUID();
      const licenses = JSON.stringify(['I3_ACCESS_CLIENT', 'I3_ACCESS_DIALER_SUPERVISOR_PLUGIN']);
      const old = await openDatabase({
        config: env.config,
        name: 'billing',
        entities: [...EVENT_ENTITIES, ...entities],
        migrations: [...EVENT_MIGRATIONS, BillingAccounts1700000000300, Usage1700000000301],
      });
      const q = (sql: string, params: unknown[]) => old.dataSource.query(sql, params);
      await q('INSERT INTO billing_server (server_id, account_id, name) VALUES (?, ?, ?)', [
        serverId,
        accountId,
        'CIC Primary',
      ]);
      await q(
        'INSERT INTO billing_license_load (event_id, server_id, file_id, loaded_at, mode) VALUES (?, ?, ?, ?, ?)',
        [randomUUID(), serverId, 'file-1', Date.parse('2020-05-01T00:00:00.000Z'), 'AUTOMATED'],
      );
      for (const [type, time] of [
        ['logon', at('09:00')],
        ['logoff', at('10:00')],
      ] as const) {
        await q(
          'INSERT INTO usage_event (event_id, server_id, account_id, user_id, type, occurred_at, day, application, ' +
            'licenses, tracked, source, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)',
          [
            randomUUID(),
            serverId,
            accountId,
            'supervisor',
            type,
            time,
            Math.floor(time / 86_400_000),
            'Connect',
            licenses,
            'EVENT',
            time,
          ],
        );
      }
      // What 2020R1 derived: a business user (bit 1).
      await q(
        'INSERT INTO usage_session (server_id, account_id, user_id, active_start, session_start, session_end, period_start, ' +
          'start_at, end_at, categories, category_version, licenses) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 2, ?, ?)',
        [
          serverId,
          accountId,
          'supervisor',
          at('09:00'),
          at('09:00'),
          at('10:00'),
          Date.parse('2020-04-28T00:00:00.000Z'),
          at('09:00'),
          at('10:00'),
          '2020R1',
          licenses,
        ],
      );
      await q(
        'INSERT INTO usage_user (server_id, user_id, account_id, last_active_start) VALUES (?, ?, ?, ?)',
        [serverId, 'supervisor', accountId, at('09:00')],
      );
      await old.close();

      const billing = await createServer(
        env.config,
        { clock: new ManualClock('2020-06-10T00:00:00.000Z'), transport: new InProcessTransport() },
        { uploadSchedule: false },
      );
      try {
        const stored = (await billing.database.dataSource.query(
          'SELECT telephone_only FROM usage_event WHERE server_id = ?',
          [serverId],
        )) as Array<{ telephone_only: unknown }>;
        expect(stored.map((r) => Number(r.telephone_only))).toEqual([0, 0]);
        const admin = await tokenFor(env.config, { roles: ['LICENSING_ADMIN'] });
        const { usageSessions } = await graphqlData<SessionsResult>(
          billing.url,
          SESSIONS_QUERY,
          { serverId, from: '2020-05-01T00:00:00.000Z', to: '2020-05-10T00:00:00.000Z' },
          admin,
        );
        expect(usageSessions).toMatchObject([
          {
            user: { id: 'supervisor' },
            start: '2020-05-04T09:00:00.000Z',
            categories: ['AGENT', 'SUPERVISOR'],
          },
        ]);
      } finally {
        await billing.close();
      }
    } finally {
      await env.cleanup();
    }
  });
});
