import { Topics } from '@lic/shared';
import { describeEachDatabase } from '@lic/testing';
import { Harness, LOGOFF, LOGON, type TestServer } from '../../test/harness.js';

const CLIENT = 'I3_ACCESS_CLIENT';
const BASIC = 'I3_LICENSE_BASIC_STATION';
const TOLERANCE_SECONDS = 120;

const HEARTBEAT = `mutation($id: ID!, $at: DateTime) { heartbeat(serverId: $id, occurredAt: $at) }`;
const START = `mutation($id: ID!, $switchover: Boolean!, $at: DateTime) {
  reportServerStarted(serverId: $id, switchover: $switchover, occurredAt: $at) { id startedAt }
}`;
const SERVER = `query($id: ID!) { server(id: $id) { lastHeartbeatAt startedAt } }`;

/**
 * The platform's rule for events a CIC server reports: a logon, logoff, heartbeat, check-in or
 * server start whose occurredAt lies more than a configurable tolerance (default 5 minutes) ahead
 * of the platform's clock is refused (EVENT_IN_FUTURE), and nothing changes.
 */
describeEachDatabase('future-dated events', (database) => {
  let h: Harness;

  beforeAll(async () => {
    h = await Harness.start({
      database,
      env: { EVENT_FUTURE_TOLERANCE_SECONDS: String(TOLERANCE_SECONDS) },
    });
  });
  afterAll(() => h.close());

  const ahead = (seconds: number) => new Date(h.clock.now().getTime() + seconds * 1000).toISOString();

  async function loggedOnUser(): Promise<{ server: TestServer; station: string; userId: string }> {
    const server = await h.serverWith({ [`${CLIENT}_CONCURRENT`]: 1, [BASIC]: 5 });
    const station = await h.createStation(server);
    const userId = await h.createUser(server, [CLIENT]);
    return { server, station, userId };
  }

  it('the issue: "a logon dated 2099 is accepted; a normal logoff then does not end it, and the licence stays held" — the logon is refused and nothing is held', async () => {
    const { server, station, userId } = await loggedOnUser();
    const failure = await h.code(
      LOGON,
      {
        input: {
          serverId: server.id,
          userId,
          stationId: station,
          application: 'Interaction Connect',
          occurredAt: '2099-01-01T00:00:00.000Z',
        },
      },
      await h.machine(server.id),
    );
    expect(failure).toMatchObject({
      code: 'EVENT_IN_FUTURE',
      extensions: expect.objectContaining({ field: 'occurredAt' }),
    });
    expect((await h.statistic(server, CLIENT)).concurrentInUse).toBe(0);
    expect((await h.events(Topics.SessionStarted)).filter((e) => e.payload['userId'] === userId)).toEqual([]);

    // The licence is free for a logon of today, and a normal logoff gives it back.
    await h.logon(server, { userId, stationId: station });
    expect((await h.statistic(server, CLIENT)).concurrentInUse).toBe(1);
    expect(await h.logoff(server, { userId })).toMatchObject({ ended: true });
    expect((await h.statistic(server, CLIENT)).concurrentInUse).toBe(0);
  });

  it('a logon exactly the tolerance ahead is accepted; one second more is refused', async () => {
    const { server, station, userId } = await loggedOnUser();
    const token = await h.machine(server.id);
    const input = { serverId: server.id, userId, stationId: station, application: 'Interaction Connect' };
    const refused = await h.code(
      LOGON,
      { input: { ...input, occurredAt: ahead(TOLERANCE_SECONDS + 1) } },
      token,
    );
    expect(refused.code).toBe('EVENT_IN_FUTURE');
    expect((await h.statistic(server, CLIENT)).concurrentInUse).toBe(0);

    const accepted = await h.logon(server, {
      userId,
      stationId: station,
      occurredAt: ahead(TOLERANCE_SECONDS),
    });
    expect(accepted.acquired).toEqual([`${CLIENT}_CONCURRENT`]);
    expect((await h.statistic(server, CLIENT)).concurrentInUse).toBe(1);
  });

  it('a logoff more than the tolerance ahead is refused and the session goes on; at the tolerance it ends it', async () => {
    const { server, station, userId } = await loggedOnUser();
    await h.logon(server, { userId, stationId: station });
    const token = await h.machine(server.id);
    const input = { serverId: server.id, userId, application: 'Interaction Connect' };
    const refused = await h.code(
      LOGOFF,
      { input: { ...input, occurredAt: ahead(TOLERANCE_SECONDS + 1) } },
      token,
    );
    expect(refused.code).toBe('EVENT_IN_FUTURE');
    expect((await h.statistic(server, CLIENT)).concurrentInUse).toBe(1);
    expect((await h.events(Topics.SessionEnded)).filter((e) => e.payload['userId'] === userId)).toEqual([]);

    const ended = await h.logoff(server, { userId, occurredAt: ahead(TOLERANCE_SECONDS) });
    expect(ended).toMatchObject({ ended: true, released: [`${CLIENT}_CONCURRENT`] });
    expect((await h.statistic(server, CLIENT)).concurrentInUse).toBe(0);
  });

  it('a logon dated within the tolerance ahead is ended by a logoff that gives no time of its own (it happens now, by our clock)', async () => {
    const { server, station, userId } = await loggedOnUser();
    await h.logon(server, { userId, stationId: station, occurredAt: ahead(TOLERANCE_SECONDS) });
    expect(await h.logoff(server, { userId })).toMatchObject({
      ended: true,
      released: [`${CLIENT}_CONCURRENT`],
    });
    expect((await h.statistic(server, CLIENT)).concurrentInUse).toBe(0);
  });

  it('a heartbeat more than the tolerance ahead is refused and renews nothing; at the tolerance it is accepted', async () => {
    const { server } = await loggedOnUser();
    const token = await h.machine(server.id);
    const before = await h.gql<{ server: { lastHeartbeatAt: string | null } }>(SERVER, { id: server.id });
    const refused = await h.code(HEARTBEAT, { id: server.id, at: ahead(TOLERANCE_SECONDS + 1) }, token);
    expect(refused.code).toBe('EVENT_IN_FUTURE');
    expect((await h.gql<typeof before>(SERVER, { id: server.id })).server.lastHeartbeatAt).toBe(
      before.server.lastHeartbeatAt,
    );

    expect(await h.gql(HEARTBEAT, { id: server.id, at: ahead(TOLERANCE_SECONDS) }, token)).toEqual({
      heartbeat: true,
    });
    expect((await h.gql<typeof before>(SERVER, { id: server.id })).server.lastHeartbeatAt).toBe(
      h.clock.now().toISOString(),
    );
  });

  it('a server start or switchover more than the tolerance ahead is refused: its sessions go on, no event is written', async () => {
    const { server, station, userId } = await loggedOnUser();
    await h.logon(server, { userId, stationId: station });
    const token = await h.machine(server.id);
    for (const switchover of [false, true]) {
      const refused = await h.code(
        START,
        { id: server.id, switchover, at: ahead(TOLERANCE_SECONDS + 1) },
        token,
      );
      expect(refused.code).toBe('EVENT_IN_FUTURE');
    }
    expect((await h.statistic(server, CLIENT)).concurrentInUse).toBe(1);
    expect(
      (await h.gql<{ server: { startedAt: string | null } }>(SERVER, { id: server.id })).server.startedAt,
    ).toBe(null);
    expect((await h.events(Topics.ServerStarted)).filter((e) => e.payload['serverId'] === server.id)).toEqual(
      [],
    );

    const at = ahead(TOLERANCE_SECONDS);
    await h.gql(START, { id: server.id, switchover: false, at }, token);
    expect(
      (await h.gql<{ server: { startedAt: string | null } }>(SERVER, { id: server.id })).server.startedAt,
    ).toBe(at);
    expect((await h.statistic(server, CLIENT)).concurrentInUse).toBe(0);
  });
});
