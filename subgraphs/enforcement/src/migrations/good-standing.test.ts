import { randomUUID } from 'node:crypto';
import { EVENT_ENTITIES, EVENT_MIGRATIONS, InProcessTransport, ManualClock, openDatabase } from '@lic/shared';
import { describeEachDatabase, graphqlData, testEnvironment, tokenFor } from '@lic/testing';
import { entities } from '../entities.js';
import { createServer } from '../server.js';
import { EnforcementServers1700000000400 } from './1700000000400-EnforcementServers.js';
import { EnforcementHistory1700000000401 } from './1700000000401-EnforcementHistory.js';

const ms = (iso: string) => Date.parse(iso);

/**
 * Upgrading a database of the previous release: servers, check-ins and history stay as they were;
 * the facts of good standing start empty (a server whose file revision and expiry were never
 * reported is judged on what is known), and a check-in is judged by the platform from then on.
 */
describeEachDatabase('migration 1766000003100 (good standing)', (database) => {
  it('keeps servers and check-ins, and the next check-in is the platform verdict', async () => {
    const env = testEnvironment({ database });
    try {
      const serverId = randomUUID();
      const accountId = randomUUID();
      const old = await openDatabase({
        config: env.config,
        name: 'enforcement',
        entities: [...EVENT_ENTITIES, ...entities],
        migrations: [...EVENT_MIGRATIONS, EnforcementServers1700000000400, EnforcementHistory1700000000401],
      });
      const q = (sql: string, params: unknown[]) => old.dataSource.query(sql, params);
      await q(
        'INSERT INTO enforcement_server (server_id, account_id, applicable, ramp_date, grace_days, last_good_check_in, ' +
          'licensed_call_ports, stage, stage_since, version, next_stage_at, change_seq, license_file_id, license_loaded_at) ' +
          'VALUES (?, ?, 1, ?, 7, NULL, 20, 2, ?, 1, ?, 1, ?, ?)',
        [
          serverId,
          accountId,
          ms('2020-06-01T00:00:00.000Z'),
          ms('2020-06-08T00:00:00.000Z'),
          ms('2020-06-15T00:00:00.000Z'),
          'file-1',
          ms('2020-05-01T00:00:00.000Z'),
        ],
      );
      await q(
        'INSERT INTO enforcement_check_in (id, server_id, kind, success, occurred_at, recorded_at) VALUES (?, ?, ?, NULL, ?, ?)',
        [randomUUID(), serverId, 'STARTUP', ms('2020-06-09T00:00:00.000Z'), ms('2020-06-09T00:00:00.000Z')],
      );
      await old.close();

      const enforcement = await createServer(env.config, {
        clock: new ManualClock('2020-06-10T00:00:00.000Z'),
        transport: new InProcessTransport(),
      });
      try {
        const admin = await tokenFor(env.config, { roles: ['LICENSING_ADMIN'] });
        const machine = await tokenFor(env.config, { roles: ['SERVER'], serverId });
        const before = await graphqlData<{ enforcementCheckIns: unknown[] }>(
          enforcement.url,
          `query($id: ID!) { enforcementCheckIns(serverId: $id) { kind success reason reportedSuccess by } }`,
          { id: serverId },
          admin,
        );
        expect(before.enforcementCheckIns).toEqual([
          { kind: 'STARTUP', success: null, reason: null, reportedSuccess: null, by: null },
        ]);
        const { checkIn } = await graphqlData<{ checkIn: unknown }>(
          enforcement.url,
          `mutation($id: ID!) { checkIn(serverId: $id) { stage goodStanding startedWithoutGoodStanding } }`,
          { id: serverId },
          machine,
        );
        expect(checkIn).toEqual({ stage: 1, goodStanding: true, startedWithoutGoodStanding: false });
        const { placeAccountOnHold } = await graphqlData<{ placeAccountOnHold: { inForce: boolean } }>(
          enforcement.url,
          `mutation($id: ID!) { placeAccountOnHold(accountId: $id, reason: "audit") { inForce } }`,
          { id: accountId },
          admin,
        );
        expect(placeAccountOnHold.inForce).toBe(true);
      } finally {
        await enforcement.close();
      }
    } finally {
      await env.cleanup();
    }
  });
});
