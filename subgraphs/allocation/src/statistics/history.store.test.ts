import { describeEachDatabase } from '@lic/testing';
import { Harness, type TestServer } from '../../test/harness.js';
import { type HistorySample } from './history.js';

const CLIENT = 'I3_ACCESS_CLIENT';
const BASIC = 'I3_LICENSE_BASIC_STATION';
const MIN = 60_000;

const HISTORY = `query($id: ID!, $key: String!, $from: DateTime!, $to: DateTime!, $resolution: UsageResolution!) {
  licenseUsageHistory(serverId: $id, key: $key, from: $from, to: $to, resolution: $resolution) { at inUse peak denials }
}`;

interface Point {
  at: string;
  inUse: number;
  peak: number;
  denials: number;
}

describeEachDatabase('licence usage history', (database) => {
  let h: Harness;

  beforeAll(async () => {
    h = await Harness.start({ database, instances: 2 });
    // The tests flush by hand: no timer writes in the middle of what they count.
    for (const instance of h.instances) await instance.services.history.stop();
  });
  afterAll(() => h.close());

  /** Lets both replicas publish (and so sample) what happened, then write it. */
  const flushAll = async () => {
    for (const instance of h.instances) await instance.services.publisher.settled();
    for (const instance of h.instances) await instance.services.history.flush();
  };

  const history = async (
    server: TestServer,
    from: number,
    to: number,
    resolution: 'MINUTE' | 'HOUR' | 'DAY',
    token = h.admin,
    key = CLIENT,
  ): Promise<Point[]> =>
    (
      await h.gql<{ licenseUsageHistory: Point[] }>(
        HISTORY,
        {
          id: server.id,
          key,
          from: new Date(from).toISOString(),
          to: new Date(to).toISOString(),
          resolution,
        },
        token,
      )
    ).licenseUsageHistory;

  it('logons on two replicas: in use per minute (last), peaks and denials, rolled up to the hour and the day', async () => {
    const server = await h.serverWith({ [`${CLIENT}_CONCURRENT`]: 2, [BASIC]: 10 });
    const users = [
      await h.createUser(server, [CLIENT]),
      await h.createUser(server, [CLIENT]),
      await h.createUser(server, [CLIENT]),
    ];
    const station = await h.createStation(server);
    const [a, b] = h.instances;
    // Into a fresh minute: the clock stands a few seconds into it.
    h.clock.set(new Date(Math.ceil(h.clock.now().getTime() / MIN) * MIN + 5000));
    const minute0 = h.clock.now().getTime() - 5000;
    await h.logon(server, { userId: users[0]!, stationId: station }, a!.url);
    await h.logon(server, { userId: users[1]!, stationId: station }, b!.url);
    // The third is refused (2 concurrent allowed): a denial.
    await expect(h.logon(server, { userId: users[2]!, stationId: station }, a!.url)).rejects.toMatchObject({
      failure: { code: 'CLIENT_ACCESS_UNAVAILABLE' },
    });
    await h.logoff(server, { userId: users[0]! }, b!.url);
    await flushAll();

    h.clock.set(new Date(minute0 + MIN + 30_000));
    await h.logon(server, { userId: users[2]!, stationId: station }, a!.url);
    await flushAll();
    h.clock.set(new Date(minute0 + 4 * MIN + 10_000));

    const minutes = await history(server, minute0, minute0 + 10 * MIN, 'MINUTE');
    expect(minutes.map((p) => [(Date.parse(p.at) - minute0) / MIN, p.inUse, p.peak, p.denials])).toEqual([
      [0, 1, 2, 1],
      [1, 2, 2, 0],
      // No change since: the last in-use carried, up to the minute under way.
      [2, 2, 2, 0],
      [3, 2, 2, 0],
      [4, 2, 2, 0],
    ]);
    const hourStart = minute0 - (minute0 % (60 * MIN));
    const hours = await history(server, hourStart, hourStart + 60 * MIN, 'HOUR');
    expect(hours.map((p) => [p.at, p.inUse, p.peak, p.denials])).toEqual([
      [new Date(hourStart).toISOString(), 2, 2, 1],
    ]);
    const dayStart = minute0 - (minute0 % (1440 * MIN));
    const days = await history(server, dayStart, dayStart + 1440 * MIN, 'DAY');
    expect(days.map((p) => [p.at, p.inUse, p.peak, p.denials])).toEqual([
      [new Date(dayStart).toISOString(), 2, 2, 1],
    ]);
    // The _CONCURRENT key names the same licence.
    expect(
      await history(server, minute0, minute0 + 2 * MIN, 'MINUTE', h.admin, `${CLIENT}_CONCURRENT`),
    ).toEqual(minutes.slice(0, 2));
    // The fleet's "denials lately": the one refusal, in the last hour and day, then the day only.
    const RECENT = 'query($id: ID!) { licenseRecentDenials(serverId: $id) { key lastHour lastDay } }';
    expect(
      (await h.gql<{ licenseRecentDenials: unknown[] }>(RECENT, { id: server.id })).licenseRecentDenials,
    ).toEqual([{ key: CLIENT, lastHour: 1, lastDay: 1 }]);
    h.clock.advance(2 * 60 * MIN);
    expect(
      (await h.gql<{ licenseRecentDenials: unknown[] }>(RECENT, { id: server.id })).licenseRecentDenials,
    ).toEqual([{ key: CLIENT, lastHour: 0, lastDay: 1 }]);
    h.clock.advance(23 * 60 * MIN);
    expect(
      (await h.gql<{ licenseRecentDenials: unknown[] }>(RECENT, { id: server.id })).licenseRecentDenials,
    ).toEqual([]);
  });

  it('costs a logon no statement: twenty logons and logoffs are written in one statement at the flush', async () => {
    const server = await h.serverWith({ [`${CLIENT}_CONCURRENT`]: 20, [BASIC]: 20 });
    const station = await h.createStation(server);
    const users: string[] = [];
    for (let i = 0; i < 10; i += 1) users.push(await h.createUser(server, [CLIENT]));
    await flushAll();
    const touches = /license_usage_history/i;
    const { sql: burst } = await h.main.database.statements.measure(async () => {
      for (const userId of users) await h.logon(server, { userId, stationId: station });
      for (const userId of users) await h.logoff(server, { userId });
      await h.main.services.publisher.settled();
    });
    expect(burst.filter((q) => touches.test(q))).toEqual([]);
    const { sql: flushed } = await h.main.database.statements.measure(() => h.main.services.history.flush());
    expect(flushed.filter((q) => touches.test(q)).map((q) => q.slice(0, 40))).toEqual([
      'INSERT INTO license_usage_history (serve',
    ]);
    const now = h.clock.now().getTime();
    const [hour] = await history(server, now - (now % (60 * MIN)), now + 1, 'HOUR');
    expect(hour).toMatchObject({ inUse: 0, peak: 10 });
  });

  it('two replicas writing the same minute keep the true peak and the newest in-use, whichever writes last', async () => {
    const server = await h.registerServer();
    const [a, b] = h.instances;
    const at = Math.ceil(h.clock.now().getTime() / MIN) * MIN + MIN;
    const sample = (offset: number, version: number, inUse: number): HistorySample => ({
      serverId: server.id,
      version,
      at: at + offset,
      statistics: [
        {
          key: CLIENT,
          assignableAllowed: 0,
          assignableConfigured: 0,
          assignableInUse: 0,
          assignableWithheld: 0,
          assignableLicensed: 0,
          concurrentAllowed: 10,
          concurrentConfigured: 10,
          concurrentInUse: inUse,
          concurrentLicensed: 10,
          available: 10 - inUse,
          capped: true,
          peakInUse: inUse,
          peakAt: null,
          denials: 0,
          note: null,
        },
      ],
    });
    // Minute 1: A saw the peak (7) earlier; B saw the newer 3. A writes last.
    b!.services.history.observe(sample(20_000, 11, 3));
    await b!.services.history.flush();
    a!.services.history.observe(sample(10_000, 10, 7));
    await a!.services.history.flush();
    // Minute 2: B saw 9 (newest), A saw 5 earlier; B writes first, then A.
    b!.services.history.observe(sample(MIN + 20_000, 13, 9));
    await b!.services.history.flush();
    a!.services.history.observe(sample(MIN + 10_000, 12, 5));
    await a!.services.history.flush();
    h.clock.set(new Date(at + 2 * MIN + 1000));

    const points = await history(server, at, at + 2 * MIN, 'MINUTE');
    expect(points.map((p) => [p.inUse, p.peak])).toEqual([
      [3, 7],
      [9, 9],
    ]);
    const [hour] = await history(server, at - (at % (60 * MIN)), at - (at % (60 * MIN)) + 60 * MIN, 'HOUR');
    expect(hour).toMatchObject({ inUse: 9, peak: 9 });
  });

  it('a supervisor reads its own account’s servers only; ranges are bounded with a clear code', async () => {
    const server = await h.serverWith({ [`${CLIENT}_CONCURRENT`]: 2, [BASIC]: 10 });
    const user = await h.createUser(server, [CLIENT]);
    const station = await h.createStation(server);
    await h.logon(server, { userId: user, stationId: station });
    await flushAll();
    const now = h.clock.now().getTime();
    const own = await h.token(['SUPERVISOR'], { accountId: server.accountId });
    expect((await history(server, now - 5 * MIN, now + MIN, 'MINUTE', own)).at(-1)).toMatchObject({
      inUse: 1,
    });

    const other = await h.token(['SUPERVISOR'], { accountId: 'acc-someone-else' });
    const vars = (from: number, to: number, resolution: string) => ({
      id: server.id,
      key: CLIENT,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      resolution,
    });
    expect((await h.code(HISTORY, vars(now - MIN, now, 'MINUTE'), other)).code).toBe('FORBIDDEN');
    // Two days of minutes is more than one call answers: ask for hours.
    const tooMany = await h.code(HISTORY, vars(now - 2 * 1440 * MIN, now, 'MINUTE'));
    expect(tooMany).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { field: 'to' } });
    expect(await history(server, now - 2 * 1440 * MIN, now + MIN, 'HOUR')).not.toHaveLength(0);
    expect((await h.code(HISTORY, vars(now, now - MIN, 'MINUTE'))).code).toBe('BAD_USER_INPUT');
  });

  it('prunes each resolution after its retention (48 hours of minutes by default, 100 days of hours)', async () => {
    const server = await h.serverWith({ [`${CLIENT}_CONCURRENT`]: 2, [BASIC]: 10 });
    const user = await h.createUser(server, [CLIENT]);
    const station = await h.createStation(server);
    await h.logon(server, { userId: user, stationId: station });
    await flushAll();
    const then = h.clock.now().getTime();
    const count = async () => ({
      minute: (await history(server, then, then + 1, 'MINUTE')).length,
      hour: (await history(server, then, then + 1, 'HOUR')).length,
    });
    expect(await count()).toEqual({ minute: 1, hour: 1 });
    h.clock.advance(49 * 3_600_000);
    await h.main.services.history.prune();
    expect(await count()).toEqual({ minute: 0, hour: 1 });
  });
});
