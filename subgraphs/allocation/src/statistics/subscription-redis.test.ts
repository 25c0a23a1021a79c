import { eventually, subscribe, wsClient } from '@lic/testing';
import { Harness, STATISTICS_SUBSCRIPTION, type StatisticsUpdate } from '../../test/harness.js';

const CLIENT = 'I3_ACCESS_CLIENT';

/** Distributed mode: a change made on one allocation process reaches subscribers of another (Redis PubSub). */
describe('live statistics across allocation processes [mariadb + redis]', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await Harness.start({ database: 'mariadb', redis: true, instances: 2 });
  });
  afterAll(() => h.close());

  it('a logon on one process is seen by a subscriber connected to the other', async () => {
    const [a, b] = h.instances;
    const server = await h.serverWith({ [`${CLIENT}_CONCURRENT`]: 10, I3_LICENSE_BASIC_STATION: 10 });
    const station = await h.createStation(server);
    const userId = await h.createUser(server, [CLIENT]);
    const supervisor = await h.token(['SUPERVISOR'], { accountId: server.accountId });
    const client = wsClient(b!.url, supervisor);
    try {
      const subscription = subscribe<StatisticsUpdate>(client, STATISTICS_SUBSCRIPTION, { id: server.id });
      const snapshot = await subscription.next(1);
      expect(
        snapshot.data?.licenseStatisticsChanged.statistics.find((s) => s.key === CLIENT)?.concurrentInUse,
      ).toBe(0);

      await h.logon(server, { userId, stationId: station }, a!.url);
      const update = await subscription.next(2);
      expect(update.data?.licenseStatisticsChanged.server.id).toBe(server.id);
      expect(update.data?.licenseStatisticsChanged.statistics.find((s) => s.key === CLIENT)).toMatchObject({
        concurrentInUse: 1,
        available: 9,
      });

      await h.logoff(server, { userId }, a!.url);
      const after = await subscription.next(3);
      expect(
        after.data?.licenseStatisticsChanged.statistics.find((s) => s.key === CLIENT)?.concurrentInUse,
      ).toBe(0);
      subscription.close();
    } finally {
      await client.dispose();
    }
  });

  it('serves hundreds of subscribers of one server from one process: all get the state and every change, and leaving releases them', async () => {
    const [a, b] = h.instances;
    const server = await h.serverWith({ [`${CLIENT}_CONCURRENT`]: 10, I3_LICENSE_BASIC_STATION: 10 });
    const station = await h.createStation(server);
    const userId = await h.createUser(server, [CLIENT]);
    const supervisor = await h.token(['SUPERVISOR'], { accountId: server.accountId });
    const clients = Array.from({ length: 4 }, () => wsClient(b!.url, supervisor));
    const inUse = (update: { data?: StatisticsUpdate | null } | undefined) =>
      update?.data?.licenseStatisticsChanged.statistics.find((s) => s.key === CLIENT)?.concurrentInUse;
    try {
      const subscriptions = Array.from({ length: 300 }, (_, i) =>
        subscribe<StatisticsUpdate>(clients[i % clients.length]!, STATISTICS_SUBSCRIPTION, { id: server.id }),
      );
      const first = await Promise.all(subscriptions.map((s) => s.next(1, 15_000)));
      expect(first.map(inUse)).toEqual(subscriptions.map(() => 0));
      expect(b!.services.feed.listenerCount(server.id)).toBe(300);

      await h.logon(server, { userId, stationId: station }, a!.url);
      const second = await Promise.all(subscriptions.map((s) => s.next(2, 15_000)));
      expect(second.map(inUse)).toEqual(subscriptions.map(() => 1));

      for (const subscription of subscriptions) subscription.close();
      await eventually(() => b!.services.feed.listenerCount(server.id) === 0);
    } finally {
      await Promise.all(clients.map((client) => client.dispose()));
    }
  });
});
