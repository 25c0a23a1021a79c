import { describeEachDatabase } from '@lic/testing';
import { Harness, LOGOFF, LOGON, type LogonData, type StatisticData } from '../../test/harness.js';

const TRACKER = 'I3_ACCESS_TRACKER';
const CLIENT = 'I3_ACCESS_CLIENT';

/**
 * The counting invariant under real concurrency: two allocation processes (two subgraph
 * servers on one MariaDB database, each with its own connection pool) take 200 logons at once
 * against 50 concurrent Tracker licences.
 */
describe('concurrent logons across two allocation processes [mariadb]', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await Harness.start({ database: 'mariadb', instances: 2 });
  });
  afterAll(() => h.close());

  it('acquires exactly 50 of 50, never shows more in use than allowed, and gives all back', async () => {
    const server = await h.serverWith({
      [`${CLIENT}_CONCURRENT`]: 200,
      [`${TRACKER}_CONCURRENT`]: 50,
      I3_LICENSE_BASIC_STATION: 10,
    });
    const station = await h.createStation(server);
    const users = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        h.createUser(server, [CLIENT, TRACKER], 'CONCURRENT', `agent-${i}`),
      ),
    );
    const token = await h.machine(server.id);
    const urls = h.instances.map((i) => i.url);
    // Before the platform's clock (2024-03-01T08:00): a future-dated event would be refused.
    const occurredAt = (i: number) => new Date(Date.UTC(2024, 1, 29, 9, 0, 0, i)).toISOString();

    // A dashboard keeps reading the statistics from the other process while the logons run.
    const seen: StatisticData[] = [];
    let racing = true;
    const watcher = (async () => {
      while (racing) {
        const stats = await h.statistics(server);
        seen.push(...stats.filter((s) => s.key === TRACKER || s.key === CLIENT));
      }
    })();

    const results = await Promise.all(
      users.map((userId, i) =>
        h.gql<{ logon: LogonData }>(
          LOGON,
          {
            input: {
              serverId: server.id,
              userId,
              stationId: station,
              application: 'Interaction Connect',
              occurredAt: occurredAt(i),
            },
          },
          token,
          urls[i % urls.length],
        ),
      ),
    );
    racing = false;
    await watcher;

    const withTracker = results.filter((r) => r.logon.acquired.includes(`${TRACKER}_CONCURRENT`));
    const withoutTracker = results.filter((r) => r.logon.denied.includes(`${TRACKER}_CONCURRENT`));
    expect(withTracker).toHaveLength(50);
    expect(withoutTracker).toHaveLength(150);
    expect(results.every((r) => r.logon.acquired.includes(`${CLIENT}_CONCURRENT`))).toBe(true);

    const tracker = await h.statistic(server, TRACKER);
    expect(tracker).toMatchObject({
      concurrentInUse: 50,
      concurrentAllowed: 50,
      available: 0,
      peakInUse: 50,
      denials: 150,
    });
    expect((await h.statistic(server, CLIENT)).concurrentInUse).toBe(200);
    expect(seen.length).toBeGreaterThan(0);
    for (const s of seen) expect(s.concurrentInUse).toBeLessThanOrEqual(s.concurrentAllowed ?? Infinity);

    // Replayed logons (same server, user, application, occurredAt) change nothing, on either process.
    const replays = await Promise.all(
      users.slice(0, 40).map((userId, i) =>
        h.gql<{ logon: LogonData }>(
          LOGON,
          {
            input: {
              serverId: server.id,
              userId,
              stationId: station,
              application: 'Interaction Connect',
              occurredAt: occurredAt(i),
            },
          },
          token,
          urls[(i + 1) % urls.length],
        ),
      ),
    );
    expect(replays.every((r) => r.logon.session.id === results[replays.indexOf(r)]!.logon.session.id)).toBe(
      true,
    );
    expect((await h.statistic(server, TRACKER)).concurrentInUse).toBe(50);
    expect((await h.statistic(server, CLIENT)).concurrentInUse).toBe(200);

    const logoffAt = (i: number) => new Date(Date.UTC(2024, 1, 29, 10, 0, 0, i)).toISOString();
    const logoffs = await Promise.all(
      users.map((userId, i) =>
        h.gql<{ logoff: { ended: boolean } }>(
          LOGOFF,
          {
            input: {
              serverId: server.id,
              userId,
              application: 'Interaction Connect',
              occurredAt: logoffAt(i),
            },
          },
          token,
          urls[(i + 1) % urls.length],
        ),
      ),
    );
    expect(logoffs.every((l) => l.logoff.ended)).toBe(true);
    expect(await h.statistic(server, TRACKER)).toMatchObject({
      concurrentInUse: 0,
      available: 50,
      peakInUse: 50,
    });
    expect((await h.statistic(server, CLIENT)).concurrentInUse).toBe(0);

    // Replayed logoffs change nothing either, and a late replay of a logon does not log anyone back on.
    const lateReplays = await Promise.all([
      ...users.slice(0, 20).map((userId, i) =>
        h.gql<{ logoff: { ended: boolean; replayed: boolean } }>(
          LOGOFF,
          {
            input: {
              serverId: server.id,
              userId,
              application: 'Interaction Connect',
              occurredAt: logoffAt(i),
            },
          },
          token,
          urls[i % urls.length],
        ),
      ),
      ...users.slice(0, 20).map((userId, i) =>
        h.gql<{ logon: LogonData }>(
          LOGON,
          {
            input: {
              serverId: server.id,
              userId,
              stationId: station,
              application: 'Interaction Connect',
              occurredAt: occurredAt(i),
            },
          },
          token,
          urls[i % urls.length],
        ),
      ),
    ]);
    // A replay answers what the first event answered, marked as a replay.
    expect(lateReplays.slice(0, 20).every((r) => 'logoff' in r && r.logoff.replayed && r.logoff.ended)).toBe(
      true,
    );
    expect(lateReplays.slice(20).every((r) => 'logon' in r && r.logon.replayed)).toBe(true);
    expect((await h.statistic(server, TRACKER)).concurrentInUse).toBe(0);
    expect((await h.statistic(server, CLIENT)).concurrentInUse).toBe(0);
  });
});

/**
 * A switchover pair is one active/standby unit: "this single license file" serves both computers,
 * so its quantities are the pair's once, and only the active member accepts logons. 200 logons
 * at once, half on each member (users configured through the member they log on at), against a
 * file of 50: exactly 50 are taken, and the standby refuses each of its logons (SERVER_STANDBY).
 * On MariaDB two allocation processes share the logons.
 */
describeEachDatabase('concurrent logons on a switchover pair', (database) => {
  let h: Harness;

  beforeAll(async () => {
    h = await Harness.start({ database, instances: database === 'mariadb' ? 2 : 1 });
  });
  afterAll(() => h.close());

  it('takes exactly the file’s 50 for the pair, the standby refusing every logon of its own', async () => {
    const primary = await h.registerServer();
    const backup = await h.registerServer(`${primary.name}-b`, {
      accountId: primary.accountId,
      installSiteId: primary.installSiteId,
      switchoverPartnerId: primary.id,
    });
    await h.load(
      primary,
      { [`${CLIENT}_CONCURRENT`]: 50, I3_LICENSE_BASIC_STATION: 10 },
      { switchover: { hostId: '00-15-5D-01-02-09', machineName: backup.name, serverItem: 'Basic Server' } },
    );
    const members = [primary, backup];
    const station = await h.createStation(primary);
    const users = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        h.createUser(members[i % 2]!, [CLIENT], 'CONCURRENT', `pair-agent-${i}`),
      ),
    );
    const tokens = await Promise.all(members.map((m) => h.machine(m.id)));
    const urls = h.instances.map((i) => i.url);
    // Buffered events, an hour before the harness clock (events ahead of it are refused).
    const occurredAt = (i: number) => new Date(Date.UTC(2024, 2, 1, 7, 0, 0, i)).toISOString();

    const results = await Promise.all(
      users.map((userId, i) =>
        h.raw<{ logon: LogonData }>(
          LOGON,
          {
            input: {
              serverId: members[i % 2]!.id,
              userId,
              stationId: station,
              application: 'Interaction Connect',
              occurredAt: occurredAt(i),
            },
          },
          tokens[i % 2],
          urls[Math.floor(i / 2) % urls.length],
        ),
      ),
    );
    const codes = (member: number) =>
      results
        .filter((_, i) => i % 2 === member)
        .map((r) => (r.errors?.[0]?.extensions?.['code'] as string | undefined) ?? 'OK');
    const count = (list: string[], code: string) => list.filter((c) => c === code).length;
    expect(count(codes(0), 'OK')).toBe(50);
    expect(count(codes(0), 'CLIENT_ACCESS_UNAVAILABLE')).toBe(50);
    expect(count(codes(1), 'SERVER_STANDBY')).toBe(100);
    for (const member of members) {
      expect(await h.statistic(member, CLIENT)).toMatchObject({
        concurrentAllowed: 50,
        concurrentInUse: 50,
        available: 0,
        peakInUse: 50,
      });
    }
  });
});
