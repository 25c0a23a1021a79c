import { subscribe, wsClient } from '@lic/shared/testing';
import { Harness, STATISTICS_SUBSCRIPTION, type StatisticsUpdate } from '../testing/harness.js';

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
});
