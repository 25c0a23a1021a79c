import { describeEachDatabase, subscribe, wsClient } from '@lic/testing';
import {
  Harness,
  STATISTICS_SUBSCRIPTION,
  type StatisticsUpdate,
  type TestServer,
} from '../../test/harness.js';

const CLIENT = 'I3_ACCESS_CLIENT';
const TRACKER = 'I3_ACCESS_TRACKER';
const BASIC = 'I3_LICENSE_BASIC_STATION';

describeEachDatabase('licence statistics', (database) => {
  let h: Harness;

  beforeAll(async () => {
    h = await Harness.start({ database });
  });
  afterAll(() => h.close());

  it('shows every column: allowed, configured, in use, available, peak and when, denials', async () => {
    const server = await h.serverWith({
      [TRACKER]: 2,
      [`${TRACKER}_CONCURRENT`]: 1,
      [`${CLIENT}_CONCURRENT`]: 5,
      [BASIC]: 5,
    });
    const station = await h.createStation(server);
    await h.createUser(server, [TRACKER], 'ASSIGNED');
    const users = [
      await h.createUser(server, [CLIENT, TRACKER]),
      await h.createUser(server, [CLIENT, TRACKER]),
    ];
    await h.logon(server, { userId: users[0]!, stationId: station });
    const peakAt = h.clock.now().toISOString();
    await h.logon(server, { userId: users[1]!, stationId: station });
    await h.logoff(server, { userId: users[0]! });

    const tracker = await h.statistic(server, TRACKER);
    expect(tracker).toEqual({
      key: TRACKER,
      assignableAllowed: 2,
      assignableConfigured: 1,
      assignableInUse: 1,
      concurrentAllowed: 1,
      concurrentConfigured: 2,
      concurrentInUse: 0,
      available: 2,
      capped: true,
      peakInUse: 1,
      peakAt,
      denials: 1,
      note: null,
    });
    const report = await h.gql<{
      licenseDenials: Array<{ key: string; userId: string; application: string; occurredAt: string }>;
    }>(`query($id: ID!) { licenseDenials(serverId: $id) { key userId application occurredAt } }`, {
      id: server.id,
    });
    expect(report.licenseDenials).toEqual([
      {
        key: `${TRACKER}_CONCURRENT`,
        userId: users[1],
        application: 'Interaction Connect',
        occurredAt: expect.any(String),
      },
    ]);
  });

  it('keeps the statement count of a query independent of the rows it returns (per-request DataLoaders)', async () => {
    const accountId = `acc-n1-${database}`;
    const QUERY = `query($r: [_Any!]!) {
      _entities(representations: $r) {
        ... on Account { id servers { id name license { fileId } statistics { key concurrentInUse } supervisorEnabled
          users { id warnings station { id } activeSessions { id application } server { id } }
          stations { id warnings server { id } } switchoverPartner { id } } }
      }
    }`;
    const seed = async (count: number): Promise<TestServer[]> => {
      const servers: TestServer[] = [];
      for (let i = 0; i < count; i += 1) {
        const server = await h.registerServer(undefined, { accountId });
        await h.load(server, { [`${CLIENT}_CONCURRENT`]: 5, [BASIC]: 5 });
        const station = await h.createStation(server);
        const userId = await h.createUser(server, [CLIENT]);
        await h.logon(server, { userId, stationId: station });
        servers.push(server);
      }
      return servers;
    };
    const measure = async () => {
      // Let the live-statistics publisher settle (a fixed sleep was too short on a loaded machine).
      await h.main.services.publisher.settled();
      const { result, sql } = await h.main.database.statements.measure(() =>
        h.gql<{ _entities: Array<{ servers: unknown[] }> }>(QUERY, {
          r: [{ __typename: 'Account', id: accountId }],
        }),
      );
      return {
        servers: result._entities[0]!.servers.length,
        // The relay and event consumers run on their own (outbox, inbox and their transactions);
        // the query's own reads are what must not grow with the rows.
        statements: sql.filter((q) => /^\s*SELECT/i.test(q) && !/outbox_event|processed_event/.test(q))
          .length,
      };
    };
    await seed(2);
    const few = await measure();
    await seed(8);
    const many = await measure();
    expect(few.servers).toBe(2);
    expect(many.servers).toBe(10);
    expect(few.statements).toBeGreaterThan(0);
    expect(many.statements).toBe(few.statements);
  });

  it('pushes the current state to a subscriber, then every change, bursts coalesced with the latest state last', async () => {
    const server = await h.serverWith({ [`${CLIENT}_CONCURRENT`]: 30, [BASIC]: 30 });
    const station = await h.createStation(server);
    const users: string[] = [];
    for (let i = 0; i < 20; i += 1) users.push(await h.createUser(server, [CLIENT]));
    const supervisor = await h.token(['SUPERVISOR'], { accountId: server.accountId });
    const client = wsClient(h.url, supervisor);
    try {
      const subscription = subscribe<StatisticsUpdate>(client, STATISTICS_SUBSCRIPTION, { id: server.id });
      const first = await subscription.next(1);
      expect(first.data?.licenseStatisticsChanged.server).toEqual({
        id: server.id,
        name: server.name,
        account: { id: server.accountId },
      });
      expect(
        first.data?.licenseStatisticsChanged.statistics.find((s) => s.key === CLIENT)?.concurrentInUse,
      ).toBe(0);

      await h.logon(server, { userId: users[0]!, stationId: station });
      const second = await subscription.next(2);
      expect(
        second.data?.licenseStatisticsChanged.statistics.find((s) => s.key === CLIENT)?.concurrentInUse,
      ).toBe(1);

      await Promise.all(users.slice(1).map((userId) => h.logon(server, { userId, stationId: station })));
      const inUse = (n: number) =>
        subscription.received[n]?.data?.licenseStatisticsChanged.statistics.find((s) => s.key === CLIENT)
          ?.concurrentInUse;
      for (let n = 3; inUse(subscription.received.length - 1) !== 20; n += 1) await subscription.next(n);
      // 19 logons, far fewer messages; versions only grow.
      expect(subscription.received.length - 2).toBeLessThan(19);
      const versions = subscription.received.map((m) => m.data!.licenseStatisticsChanged.version);
      expect([...versions].sort((a, b) => a - b)).toEqual(versions);
      subscription.close();
    } finally {
      await client.dispose();
    }
  });

  it('lets a supervisor watch only the servers of its own account', async () => {
    const server = await h.serverWith({ [CLIENT]: 1 });
    const stranger = await h.token(['SUPERVISOR'], { accountId: 'another-account' });
    const client = wsClient(h.url, stranger);
    try {
      const subscription = subscribe<StatisticsUpdate>(client, STATISTICS_SUBSCRIPTION, { id: server.id });
      const refused = await subscription.next(1).catch((error: unknown) => error);
      const errors = JSON.stringify(refused);
      expect(errors).toContain('FORBIDDEN');
      expect(
        (
          await h.code(
            `query($id: ID!) { licenseStatistics(serverId: $id) { key } }`,
            { id: server.id },
            stranger,
          )
        ).code,
      ).toBe('FORBIDDEN');
    } finally {
      await client.dispose();
    }
  });
});
