import { type DomainEvent, type SessionEndedPayload, type SessionStartedPayload } from '@lic/shared';
import { describeEachDatabase } from '@lic/testing';
import {
  type BillingHarness,
  EventFactory,
  LICENSES,
  type ServerRef,
  UPLOAD_LICENSE,
  billingHarness,
  newServer,
} from '../../test/harness.js';

/**
 * Billing keeps up with allocation's logons and logoffs because a batch of them costs a fixed
 * number of statements, and a user's derivation too, however many events or sessions they hold.
 */
describeEachDatabase('session events in batches', (database) => {
  let h: BillingHarness;
  const f = new EventFactory();
  const server: ServerRef = newServer();

  beforeAll(async () => {
    h = await billingHarness({ database });
    await h.publish([f.licenseLoaded(server, UPLOAD_LICENSE, '2020-05-01T00:00:00.000Z')]);
    // Derivations run only when the test asks (their statements are counted).
    await h.billing.services.deriver.stop();
  });
  afterAll(() => h.close());

  const store = async (type: 'logon' | 'logoff', events: readonly DomainEvent[]) => {
    const { ingest } = h.billing.services;
    const { dataSource } = h.billing.database;
    const { statements } = await h.billing.database.statements.measure(() =>
      dataSource.transaction((manager) =>
        ingest.sessionEvents(
          manager,
          type,
          events.map((e) => ({
            eventId: e.id,
            payload: e.payload as SessionStartedPayload | SessionEndedPayload,
          })),
        ),
      ),
    );
    return statements;
  };

  /** `count` one-minute sessions of each user, one after the other, from 2020-05-20. */
  const sessions = (users: readonly string[], count: number) => {
    const logons: DomainEvent[] = [];
    const logoffs: DomainEvent[] = [];
    for (const user of users) {
      for (let i = 0; i < count; i++) {
        const at = Date.parse('2020-05-20T00:00:00.000Z') + i * 120_000;
        logons.push(f.logon(server, user, new Date(at).toISOString(), LICENSES.sam));
        logoffs.push(f.logoff(server, user, new Date(at + 60_000).toISOString(), LICENSES.sam));
      }
    }
    return { logons, logoffs };
  };

  it('stores a batch of 2 or of 100 events with the same statements, and derives 1 or 50 sessions with the same', async () => {
    const small = sessions(['few'], 1);
    const large = sessions(
      Array.from({ length: 10 }, (_, i) => `many-${i}`),
      5,
    );
    const few = [await store('logon', small.logons), await store('logoff', small.logoffs)];
    const many = [await store('logon', large.logons), await store('logoff', large.logoffs)];
    expect(large.logons.length + large.logoffs.length).toBe(100);
    expect(many).toEqual(few);
    // MariaDB: the transaction's start, one query with every write, its commit.
    if (database === 'mariadb') expect(few).toEqual([3, 3]);

    const lone = sessions(['lone'], 1);
    const busy = sessions(['busy'], 50);
    await store('logon', [...lone.logons, ...busy.logons]);
    await store('logoff', [...lone.logoffs, ...busy.logoffs]);
    const { deriver } = h.billing.services;
    const { dataSource } = h.billing.database;
    const derive = async (user: string) =>
      (await h.billing.database.statements.measure(() => deriver.deriveUser(server.serverId, user)))
        .statements;
    const [busyCost, loneCost] = [await derive('busy'), await derive('lone')];
    expect(busyCost).toBe(loneCost);
    // MariaDB: start, the user's lock, its anchor, every read at once, every write at once, commit.
    if (database === 'mariadb') expect(busyCost).toBe(6);

    // And what they stored is what the events say.
    const count = async (sql: string, params: unknown[]) =>
      Number(((await dataSource.query(sql, params)) as Array<{ n: unknown }>)[0]!.n);
    expect(await count('SELECT COUNT(*) AS n FROM usage_event WHERE server_id = ?', [server.serverId])).toBe(
      2 + 100 + 2 + 100,
    );
    expect(
      await count('SELECT COUNT(*) AS n FROM usage_session WHERE server_id = ? AND user_id = ?', [
        server.serverId,
        'busy',
      ]),
    ).toBe(50);
  });
});
