import { Topics } from '@lic/shared';
import { describeEachDatabase } from '@lic/testing';
import { Harness } from '../../test/harness.js';

const CLIENT = 'I3_ACCESS_CLIENT';
const BASIC = 'I3_LICENSE_BASIC_STATION';
const LEASE_SECONDS = 120;

/** Crashed clients must not hold seats for ever: leases, heartbeats, the sweeper and server starts. */
describeEachDatabase('session leases and server starts', (database) => {
  let h: Harness;

  beforeAll(async () => {
    h = await Harness.start({ database, env: { SESSION_LEASE_SECONDS: String(LEASE_SECONDS) } });
  });
  afterAll(() => h.close());

  const heartbeat = async (serverId: string) =>
    h.gql(`mutation($id: ID!) { heartbeat(serverId: $id) }`, { id: serverId }, await h.machine(serverId));

  it('a heartbeat renews the leases; sessions of a silent server end after the lease, licences released, cause recorded', async () => {
    const server = await h.serverWith({ [`${CLIENT}_CONCURRENT`]: 5, [BASIC]: 5 });
    const station = await h.createStation(server);
    const userId = await h.createUser(server, [CLIENT]);
    const logon = await h.logon(server, { userId, stationId: station });

    h.clock.advance(100_000);
    await heartbeat(server.id);
    h.clock.advance(100_000);
    // 200 s since the logon, 100 s since the heartbeat: the lease (120 s) still runs.
    await h.main.services.sessions.sweep();
    expect((await h.statistic(server, CLIENT)).concurrentInUse).toBe(1);

    h.clock.advance(30_000);
    const lastRenewal = h.clock.now().getTime() - 130_000;
    expect(await h.main.services.sessions.sweep()).toBe(1);
    expect((await h.statistic(server, CLIENT)).concurrentInUse).toBe(0);
    const ended = (await h.events(Topics.SessionEnded)).filter(
      (e) => e.payload['sessionId'] === logon.session.id,
    );
    expect(ended).toHaveLength(1);
    expect(ended[0]!.payload).toMatchObject({
      cause: 'LEASE_EXPIRED',
      occurredAt: new Date(lastRenewal + LEASE_SECONDS * 1000).toISOString(),
    });
    const sessions = await h.gql<{ sessions: Array<{ endCause: string; endedAt: string }> }>(
      `query($id: ID!) { sessions(serverId: $id, activeOnly: false) { endCause endedAt } }`,
      { id: server.id },
    );
    expect(sessions.sessions).toEqual([
      { endCause: 'LEASE_EXPIRED', endedAt: new Date(lastRenewal + LEASE_SECONDS * 1000).toISOString() },
    ]);
    // Sweeping again finds nothing left to end.
    expect(await h.main.services.sessions.sweep()).toBe(0);
  });

  it('a server start ends the sessions it had; a switchover start ends its partner’s (cause SWITCHOVER); a replayed start changes nothing', async () => {
    const primary = await h.registerServer('cic-p');
    const backup = await h.registerServer('cic-s', {
      accountId: primary.accountId,
      installSiteId: primary.installSiteId,
      switchoverPartnerId: primary.id,
    });
    await h.load(
      primary,
      { [`${CLIENT}_CONCURRENT`]: 5, [BASIC]: 5 },
      {
        switchover: { hostId: '00-15-5D-01-02-09', machineName: 'cic-s', serverItem: 'Basic Server' },
      },
    );
    const station = await h.createStation(primary);
    const userId = await h.createUser(primary, [CLIENT]);
    await h.logon(primary, { userId, stationId: station });

    const START = `mutation($id: ID!, $switchover: Boolean!, $at: DateTime) {
      reportServerStarted(serverId: $id, switchover: $switchover, occurredAt: $at) { id startedAt }
    }`;
    h.clock.advance(5000);
    const at = h.clock.now().toISOString();
    await h.gql(START, { id: backup.id, switchover: true, at }, await h.machine(backup.id));
    expect((await h.statistic(primary, CLIENT)).concurrentInUse).toBe(0);
    const ended = (await h.events(Topics.SessionEnded)).filter((e) => e.payload['userId'] === userId);
    expect(ended.map((e) => e.payload['cause'])).toEqual(['SWITCHOVER']);
    const started = (await h.events(Topics.ServerStarted)).filter((e) => e.payload['serverId'] === backup.id);
    expect(started.map((e) => e.payload)).toEqual([
      { serverId: backup.id, accountId: backup.accountId, switchover: true, occurredAt: at },
    ]);

    // The backup is the active member now: it takes the logon, and a replayed start changes nothing.
    await h.logon(backup, { userId, stationId: station });
    await h.gql(START, { id: backup.id, switchover: true, at }, await h.machine(backup.id));
    expect((await h.statistic(primary, CLIENT)).concurrentInUse).toBe(1);
    expect(
      (await h.events(Topics.ServerStarted)).filter((e) => e.payload['serverId'] === backup.id),
    ).toHaveLength(1);
  });
});
