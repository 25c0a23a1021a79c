import { DAY_MS, createPubSub, type PubSubHandle } from '@lic/shared';
import { TEST_REDIS_URL, subscribe, wsClient, type TestSubscription } from '@lic/testing';
import { type Client } from 'graphql-ws';
import { startEnforcement, type EnforcementHarness, type TestServer } from '../../test/harness.js';

const CHANGES = `subscription($accountId: ID) {
  enforcementStageChanged(accountId: $accountId) { server { id } from to at }
}`;
type Payload = { enforcementStageChanged: { server: { id: string }; from: number; to: number; at: string } };

const iso = (day: string) => `${day}T00:00:00.000Z`;
const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));
const TRANSITION_DAYS = ['2020-06-08', '2020-06-15', '2020-06-22', '2020-06-29', '2020-07-06'];

/*
 * Distributed mode: two enforcement replicas on one MariaDB database, each with its own Redis
 * PubSub connection (as separate processes would have), sharing the event bus, both ticking on
 * the same clock at the same moments.
 */
describe('enforcement: two replicas on one MariaDB database [mariadb]', () => {
  let a: EnforcementHarness;
  let b: EnforcementHarness;
  const pubSubs: PubSubHandle[] = [];
  let client: Client;
  let sub: TestSubscription<Payload>;

  beforeAll(async () => {
    pubSubs.push(createPubSub({ redisUrl: TEST_REDIS_URL }), createPubSub({ redisUrl: TEST_REDIS_URL }));
    a = await startEnforcement({ database: 'mariadb', pubSub: pubSubs[0]! });
    b = await startEnforcement({ env: a.env, transport: a.transport, clock: a.clock, pubSub: pubSubs[1]! });
  });
  afterAll(async () => {
    sub?.close();
    await client?.dispose();
    await b.close();
    await a.close();
    await Promise.all(pubSubs.map((p) => p.close()));
  });

  it('each transition is recorded, pushed and sent to allocation exactly once', async () => {
    a.clock.set(iso('2020-05-01'));
    const first = await a.registerServer();
    const servers: TestServer[] = [
      first,
      await a.registerServer(first.accountId),
      await a.registerServer(first.accountId),
    ];
    for (const server of servers) await a.loadLicense(server);

    // Watching through replica B; whichever replica records a change, B's subscriber hears of it.
    client = wsClient(b.handle.url, b.adminToken);
    sub = subscribe<Payload>(client, CHANGES, { accountId: first.accountId });
    await b.listening(1);

    const perDay: Array<[string, number]> = [];
    for (let t = Date.parse(iso('2020-05-01')); t <= Date.parse(iso('2020-07-31')); t += DAY_MS) {
      a.clock.set(new Date(t));
      const [byA, byB] = await Promise.all([a.handle.scheduler.tick(), b.handle.scheduler.tick()]);
      if (byA + byB > 0) perDay.push([new Date(t).toISOString().slice(0, 10), byA + byB]);
    }
    // Three servers on the same timeline: three changes on each transition day, between both replicas.
    expect(perDay).toEqual(TRANSITION_DAYS.map((day) => [day, 3]));

    for (const server of servers) {
      const { enforcementHistory } = await b.gql<{
        enforcementHistory: Array<{ from: number; to: number; at: string }>;
      }>(`query($id: ID!) { enforcementHistory(serverId: $id) { from to at } }`, { id: server.serverId });
      expect(enforcementHistory).toEqual(
        TRANSITION_DAYS.map((day, i) => ({ from: i + 1, to: i + 2, at: iso(day) })),
      );
    }

    const ids = new Set(servers.map((s) => s.serverId));
    const events = (await a.outboxStageChanges()).filter((e) => ids.has(e['serverId'] as string));
    expect(events).toHaveLength(15);

    await sub.next(15, 10_000);
    await settle(500);
    const received = sub.received.map((p) => p.data?.enforcementStageChanged);
    expect(received).toHaveLength(15);
    const keys = received.map((c) => `${c?.server.id}:${c?.to}`);
    expect(new Set(keys).size).toBe(15);
  });
});
