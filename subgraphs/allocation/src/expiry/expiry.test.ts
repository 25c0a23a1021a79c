import { CALL_PORT_KEY, DAY_MS, HOUR_MS, Topics } from '@lic/shared';
import { describeEachDatabase, eventually, subscribe, wsClient } from '@lic/testing';
import { Harness, LOGON, type TestServer } from '../../test/harness.js';

const CLIENT = 'I3_ACCESS_CLIENT';
const BASIC = 'I3_LICENSE_BASIC_STATION';

const STATUS = `query($id: ID!) {
  server(id: $id) {
    licenseExpiresAt licenseDaysLeft licenseExpiryWarning licenseExpired unlicensed
  }
}`;

interface Status {
  licenseExpiresAt: string | null;
  licenseDaysLeft: number | null;
  licenseExpiryWarning: string | null;
  licenseExpired: boolean;
  unlicensed: boolean;
}

const LIVE = `subscription($id: ID!) {
  licenseStatisticsChanged(serverId: $id) {
    server { id licenseExpired unlicensed licenseExpiryWarning }
    statistics { key concurrentInUse concurrentAllowed assignableInUse }
  }
}`;

interface Live {
  licenseStatisticsChanged: {
    server: { id: string; licenseExpired: boolean; unlicensed: boolean; licenseExpiryWarning: string | null };
    statistics: Array<{
      key: string;
      concurrentInUse: number;
      concurrentAllowed: number | null;
      assignableInUse: number;
    }>;
  };
}

/**
 * Continuous expiry (docs/domain.md section 1, activation files): "when a loaded file's expiry passes,
 * the server reverts to unlicensed exactly as at enforcement stage 6, pushed live. The server's
 * status shows the expiry and warns 30, 7 and 1 days before it." The leak: "A trial,
 * development or 30-day partner file that loaded before its expiry keeps granting every pool for
 * ever (expiry is checked only at load)."
 */
describeEachDatabase('continuous licence expiry', (database) => {
  let h: Harness;

  beforeAll(async () => {
    h = await Harness.start({ database });
  });
  afterAll(() => h.close());

  const status = async (server: TestServer): Promise<Status> =>
    (await h.gql<{ server: Status }>(STATUS, { id: server.id })).server;

  const trial = (days: number) => ({
    licenseType: 'TRIAL' as const,
    expiresAt: new Date(h.clock.now().getTime() + days * DAY_MS),
  });

  const stage = (server: TestServer, from: number, to: number) => h.enforcementStage(server, from, to);

  it('warns 30, 7 and 1 days before a file expires', async () => {
    const server = await h.serverWith({ [CLIENT]: 1 }, trial(45));
    const expiresAt = new Date(h.clock.now().getTime() + 45 * DAY_MS).toISOString();
    expect(await status(server)).toEqual({
      licenseExpiresAt: expiresAt,
      licenseDaysLeft: 45,
      licenseExpiryWarning: null,
      licenseExpired: false,
      unlicensed: false,
    });
    h.clock.advance(15 * DAY_MS);
    expect(await status(server)).toMatchObject({ licenseDaysLeft: 30, licenseExpiryWarning: 'DAYS_30' });
    h.clock.advance(23 * DAY_MS);
    expect(await status(server)).toMatchObject({ licenseDaysLeft: 7, licenseExpiryWarning: 'DAYS_7' });
    h.clock.advance(6 * DAY_MS + 12 * HOUR_MS);
    expect(await status(server)).toMatchObject({ licenseDaysLeft: 1, licenseExpiryWarning: 'DAY_1' });

    // A production file (expires 2100-01-01) warns of nothing.
    const production = await h.serverWith({ [CLIENT]: 1 });
    expect(await status(production)).toMatchObject({ licenseExpiryWarning: null, licenseExpired: false });
  });

  it('a file that loaded before its expiry stops granting when it expires, exactly as stage 6, pushed live; a new file restores the server', async () => {
    const keys = { [`${CLIENT}_CONCURRENT`]: 3, [CLIENT]: 3, [BASIC]: 3, [CALL_PORT_KEY]: 10 };
    const server = await h.serverWith(keys, trial(10));
    const desk = await h.createStation(server);
    const concurrent = await h.createUser(server, [CLIENT], 'CONCURRENT');
    const assigned = await h.createUser(server, [CLIENT], 'ASSIGNED');
    await h.logon(server, { userId: concurrent, stationId: desk });
    expect((await h.statistic(server, CLIENT)).concurrentInUse).toBe(1);

    const supervisor = await h.token(['SUPERVISOR'], { accountId: server.accountId });
    const client = wsClient(h.url, supervisor);
    try {
      const live = subscribe<Live>(client, LIVE, { id: server.id });
      await live.next(1);

      h.clock.advance(10 * DAY_MS + 1000);
      expect(await h.expiryTick()).toBeGreaterThanOrEqual(1);
      // Ticking again does nothing more.
      expect(await h.expiryTick()).toBe(0);

      // Pushed live: the subscriber sees the server unlicensed and its licences gone.
      const seen = await eventually(
        () =>
          live.received
            .map((m) => m.data?.licenseStatisticsChanged)
            .find((u) => u?.server.licenseExpired === true),
        5000,
      );
      expect(seen?.server).toMatchObject({ unlicensed: true, licenseExpiryWarning: 'EXPIRED' });
      expect(seen?.statistics.find((s) => s.key === CLIENT)).toMatchObject({
        concurrentInUse: 0,
        concurrentAllowed: 0,
        assignableInUse: 0,
      });
      live.close();
    } finally {
      await client.dispose();
    }

    expect(await status(server)).toMatchObject({
      licenseExpired: true,
      unlicensed: true,
      licenseDaysLeft: 0,
    });
    const sessions = await h.gql<{ sessions: Array<{ endCause: string | null }> }>(
      `query($id: ID!) { sessions(serverId: $id, activeOnly: false) { endCause } }`,
      { id: server.id },
    );
    expect(sessions.sessions).toEqual([{ endCause: 'LICENSE_EXPIRED' }]);
    const ended = (await h.events(Topics.SessionEnded)).filter((e) => e.payload['serverId'] === server.id);
    expect(ended.map((e) => e.payload['cause'])).toEqual(['LICENSE_EXPIRED']);
    const refused = await h.code(
      LOGON,
      {
        input: { serverId: server.id, userId: assigned, stationId: desk, application: 'Interaction Connect' },
      },
      await h.machine(server.id),
    );
    expect(refused.code).toBe('LICENSE_FILE_EXPIRED');
    const denials = await h.gql<{ licenseDenials: Array<{ reason: string; userId: string }> }>(
      `query($id: ID!) { licenseDenials(serverId: $id) { reason userId } }`,
      { id: server.id },
    );
    expect(denials.licenseDenials).toEqual([{ reason: 'LICENSE_EXPIRED', userId: assigned }]);
    expect(await h.statistic(server, CLIENT)).toMatchObject({ assignableInUse: 0, assignableConfigured: 1 });
    // "2 call ports, nothing else", as at stage 6.
    expect((await h.statistic(server, CALL_PORT_KEY)).assignableAllowed).toBe(2);

    // A new, unexpired file restores the server and its assignments.
    await h.load(server, keys, trial(30));
    expect(await status(server)).toMatchObject({
      licenseExpired: false,
      unlicensed: false,
      licenseDaysLeft: 30,
    });
    expect(await h.statistic(server, CLIENT)).toMatchObject({ assignableInUse: 1, assignableConfigured: 1 });
    expect((await h.statistic(server, CALL_PORT_KEY)).assignableAllowed).toBe(10);
    expect((await h.logon(server, { userId: concurrent, stationId: desk })).acquired).toEqual([
      `${CLIENT}_CONCURRENT`,
    ]);
  });

  it('refuses logons once the expiry has passed, even before the scheduler ran', async () => {
    const server = await h.serverWith({ [`${CLIENT}_CONCURRENT`]: 3, [BASIC]: 3 }, trial(1));
    const desk = await h.createStation(server);
    const user = await h.createUser(server, [CLIENT]);
    h.clock.advance(DAY_MS);
    const refused = await h.code(
      LOGON,
      { input: { serverId: server.id, userId: user, stationId: desk, application: 'Interaction Connect' } },
      await h.machine(server.id),
    );
    expect(refused.code).toBe('LICENSE_FILE_EXPIRED');
    expect(await status(server)).toMatchObject({ licenseExpired: true, licenseExpiryWarning: 'EXPIRED' });
  });

  it('expiry and enforcement stage 6 do not undo each other: unlicensed until both are lifted', async () => {
    const server = await h.serverWith({ [CLIENT]: 2, [BASIC]: 2 }, trial(5));
    await h.createUser(server, [CLIENT], 'ASSIGNED');
    const inUse = async () => (await h.statistic(server, CLIENT)).assignableInUse;

    // Expired, then stage 6; stage 1 alone does not restore an expired file.
    h.clock.advance(5 * DAY_MS);
    expect(await h.expiryTick()).toBeGreaterThanOrEqual(1);
    await stage(server, 5, 6);
    expect(await inUse()).toBe(0);
    await stage(server, 6, 1);
    expect(await status(server)).toMatchObject({ licenseExpired: true, unlicensed: true });
    expect(await inUse()).toBe(0);

    // Stage 6 again, then a new file: still unlicensed until stage 1.
    await stage(server, 5, 6);
    await h.load(server, { [CLIENT]: 2, [BASIC]: 2 }, trial(30));
    expect(await status(server)).toMatchObject({ licenseExpired: false, unlicensed: true });
    expect(await inUse()).toBe(0);
    await stage(server, 6, 1);
    expect(await status(server)).toMatchObject({ licenseExpired: false, unlicensed: false });
    expect(await inUse()).toBe(1);
  });
});
