import { Topics } from '@lic/shared';
import { describeEachDatabase } from '@lic/testing';
import { Harness, GraphQLRequestError } from '../../test/harness.js';
import { POOL_CHECK_SPACING_MS } from './pool-alerts.js';

const CLIENT = 'I3_ACCESS_CLIENT';
const TRACKER = 'I3_ACCESS_TRACKER';
const BASIC = 'I3_LICENSE_BASIC_STATION';

/**
 * Pool alerts on the real allocation subgraph: a pool that runs out is announced once per episode
 * (a new one only after it had room again), a burst of denials once per burst, each through the
 * outbox.
 */
describeEachDatabase('pool exhausted and denial burst events', (database) => {
  let h: Harness;

  beforeAll(async () => {
    h = await Harness.start({
      database,
      env: { DENIAL_BURST_THRESHOLD: '3', DENIAL_BURST_WINDOW_SECONDS: '60' },
    });
  });
  afterAll(() => h.close());

  const alerts = () => h.main.services.alerts;
  const eventsOf = async (topic: string, serverId: string) => {
    await alerts().settle();
    return (await h.events(topic)).filter((e) => e.payload['serverId'] === serverId).map((e) => e.payload);
  };
  const refused = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(GraphQLRequestError);
    // One check per refusal (checks coming together are merged: the counts would depend on timing).
    await alerts().settle();
  };

  it('a refused logon announces the exhausted pool once; another after the pool had room again', async () => {
    const server = await h.serverWith({ [`${CLIENT}_CONCURRENT`]: 1, [BASIC]: 10 });
    const station = await h.createStation(server);
    const [first, second, third] = [
      await h.createUser(server, [CLIENT]),
      await h.createUser(server, [CLIENT]),
      await h.createUser(server, [CLIENT]),
    ];
    await h.logon(server, { userId: first!, stationId: station });
    expect(await eventsOf(Topics.PoolExhausted, server.id)).toEqual([]);
    await refused(h.logon(server, { userId: second!, stationId: station }));
    await refused(h.logon(server, { userId: third!, stationId: station }));
    const announced = await eventsOf(Topics.PoolExhausted, server.id);
    expect(announced).toEqual([
      {
        accountId: server.accountId,
        serverId: server.id,
        licenseKey: `${CLIENT}_CONCURRENT`,
        limit: 1,
        inUse: 1,
        denied: 1,
        totalDenials: 1,
        exhaustedAt: expect.any(String),
      },
    ]);
    // Still full at the sweep: the episode goes on.
    expect(await alerts().sweep()).toBe(0);
    await refused(h.logon(server, { userId: second!, stationId: station }));
    expect(await eventsOf(Topics.PoolExhausted, server.id)).toHaveLength(1);

    // The pool has room again: the episode ends; the next refusal is a new one.
    await h.logoff(server, { userId: first! });
    expect(await alerts().sweep()).toBe(1);
    await h.logon(server, { userId: second!, stationId: station });
    await refused(h.logon(server, { userId: third!, stationId: station }));
    const again = await eventsOf(Topics.PoolExhausted, server.id);
    expect(again).toHaveLength(2);
    expect(again[1]).toMatchObject({ licenseKey: `${CLIENT}_CONCURRENT`, totalDenials: 4 });
  });

  it('a logon that goes ahead without one of its licences announces that pool too (the logon’s own path)', async () => {
    const server = await h.serverWith({
      [`${CLIENT}_CONCURRENT`]: 10,
      [`${TRACKER}_CONCURRENT`]: 1,
      [BASIC]: 10,
    });
    const station = await h.createStation(server);
    const users = [
      await h.createUser(server, [CLIENT, TRACKER]),
      await h.createUser(server, [CLIENT, TRACKER]),
      await h.createUser(server, [CLIENT, TRACKER]),
    ];
    expect((await h.logon(server, { userId: users[0]!, stationId: station })).denied).toEqual([]);
    expect((await h.logon(server, { userId: users[1]!, stationId: station })).denied).toEqual([
      `${TRACKER}_CONCURRENT`,
    ]);
    expect((await h.logon(server, { userId: users[2]!, stationId: station })).denied).toEqual([
      `${TRACKER}_CONCURRENT`,
    ]);
    expect(await eventsOf(Topics.PoolExhausted, server.id)).toEqual([
      expect.objectContaining({ licenseKey: `${TRACKER}_CONCURRENT`, limit: 1, inUse: 1, denied: 1 }),
    ]);
  });

  it('a logon with room runs no statement of the pool alerts; only one with a denial does', async () => {
    const server = await h.serverWith({
      [`${CLIENT}_CONCURRENT`]: 10,
      [`${TRACKER}_CONCURRENT`]: 1,
      [BASIC]: 10,
    });
    const station = await h.createStation(server);
    const [first, second] = [
      await h.createUser(server, [CLIENT, TRACKER]),
      await h.createUser(server, [CLIENT, TRACKER]),
    ];
    const alertStatements = async (userId: string) => {
      const { sql } = await h.main.database.statements.measure(async () => {
        await h.logon(server, { userId, stationId: station });
        await alerts().settle();
      });
      return sql.filter((q) => /pool_alert/.test(q)).length;
    };
    expect(await alertStatements(first)).toBe(0);
    expect(await alertStatements(second)).toBeGreaterThan(0);
  });

  it('a storm of refusals on one pool is checked at most every POOL_CHECK_SPACING_MS, and announced once', async () => {
    const server = await h.serverWith({ [`${CLIENT}_CONCURRENT`]: 1, [BASIC]: 10 });
    const station = await h.createStation(server);
    const holder = await h.createUser(server, [CLIENT]);
    const others = await Promise.all(Array.from({ length: 8 }, () => h.createUser(server, [CLIENT])));
    await h.logon(server, { userId: holder, stationId: station });
    const started = performance.now();
    const { sql } = await h.main.database.statements.measure(async () => {
      // Eight refusals one after another, without waiting for their checks.
      for (const userId of others)
        await h.logon(server, { userId, stationId: station }).catch((e: unknown) => {
          if (!(e instanceof GraphQLRequestError)) throw e;
        });
      await alerts().settle();
    });
    const elapsed = performance.now() - started;
    // Each check counts the pool's denials in the burst window once: no more than the spacing allows.
    const checks = sql.filter((q) =>
      /COUNT\(\*\) AS n, MIN\(occurred_at\) AS first_at FROM license_denial/.test(q),
    ).length;
    expect(checks).toBeGreaterThanOrEqual(1);
    expect(checks).toBeLessThanOrEqual(Math.floor(elapsed / POOL_CHECK_SPACING_MS) + 1);
    expect(await eventsOf(Topics.PoolExhausted, server.id)).toEqual([
      expect.objectContaining({ licenseKey: `${CLIENT}_CONCURRENT`, limit: 1, inUse: 1 }),
    ]);
  });

  it('announces a burst when denials reach the threshold within the window, once per burst', async () => {
    const server = await h.serverWith({ [`${CLIENT}_CONCURRENT`]: 1, [BASIC]: 10 });
    const station = await h.createStation(server);
    const holder = await h.createUser(server, [CLIENT]);
    const waiting = await h.createUser(server, [CLIENT]);
    await h.logon(server, { userId: holder, stationId: station });
    // Each refused logon is a second apart (the harness's clock).
    for (let i = 0; i < 2; i++) await refused(h.logon(server, { userId: waiting, stationId: station }));
    expect(await eventsOf(Topics.DenialBurst, server.id)).toEqual([]);
    for (let i = 0; i < 4; i++) await refused(h.logon(server, { userId: waiting, stationId: station }));
    const [burst, ...more] = await eventsOf(Topics.DenialBurst, server.id);
    expect(more).toEqual([]);
    expect(burst).toEqual({
      accountId: server.accountId,
      serverId: server.id,
      licenseKey: `${CLIENT}_CONCURRENT`,
      denials: 3,
      threshold: 3,
      windowSeconds: 60,
      since: expect.any(String),
      detectedAt: expect.any(String),
    });
    expect(Date.parse(String(burst?.['detectedAt'])) - Date.parse(String(burst?.['since']))).toBe(2000);

    // Quiet for more than a window: the next three denials are a new burst.
    h.clock.advance(61_000);
    for (let i = 0; i < 3; i++) await refused(h.logon(server, { userId: waiting, stationId: station }));
    expect(await eventsOf(Topics.DenialBurst, server.id)).toHaveLength(2);
    // One exhaustion episode all along (the pool never had room).
    expect(await eventsOf(Topics.PoolExhausted, server.id)).toHaveLength(1);
  });
});
