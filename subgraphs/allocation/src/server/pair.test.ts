import { Topics } from '@lic/shared';
import { describeEachDatabase, subscribe, wsClient } from '@lic/testing';
import {
  Harness,
  STATISTICS_SUBSCRIPTION,
  type StatisticsUpdate,
  type TestServer,
} from '../../test/harness.js';

const CLIENT = 'I3_ACCESS_CLIENT';
const BASIC = 'I3_LICENSE_BASIC_STATION';

const START = `mutation($id: ID!, $switchover: Boolean!, $at: DateTime) {
  reportServerStarted(serverId: $id, switchover: $switchover, occurredAt: $at) { id active standby unitId }
}`;
const SERVER = `query($id: ID!) {
  server(id: $id) { id active standby unitId switchoverPartner { id } users { id name } stations { id } }
}`;

interface ServerView {
  id: string;
  active: boolean;
  standby: boolean;
  unitId: string;
  switchoverPartner: { id: string } | null;
  users: Array<{ id: string; name: string }>;
  stations: Array<{ id: string }>;
}

/**
 * A switchover pair is one active/standby unit. The reference calls the pair's file "this single
 * license file" for both computers, and says the switchover subsystem "replicates the license to
 * the backup server": the pair shares one set of pools and one user and station configuration,
 * the file's quantities count once, never twice, and only the active member accepts logons.
 */
describeEachDatabase('switchover pairs as one active/standby unit', (database) => {
  let h: Harness;

  beforeAll(async () => {
    h = await Harness.start({ database });
  });
  afterAll(() => h.close());

  /** Primary registered first (active), backup registered as its partner, a switchover file loaded on the primary. */
  async function pair(keys: Record<string, number>): Promise<{ primary: TestServer; backup: TestServer }> {
    const primary = await h.registerServer();
    const backup = await h.registerServer(`${primary.name}-b`, {
      accountId: primary.accountId,
      installSiteId: primary.installSiteId,
      switchoverPartnerId: primary.id,
    });
    await h.load(primary, keys, {
      switchover: { hostId: '00-15-5D-01-02-09', machineName: backup.name, serverItem: 'Basic Server' },
    });
    return { primary, backup };
  }

  const view = async (server: TestServer) =>
    (await h.gql<{ server: ServerView }>(SERVER, { id: server.id })).server;

  it('"this single license file": 5 of 5 assigned through the primary leave none for the backup', async () => {
    const { primary, backup } = await pair({ [CLIENT]: 5, [BASIC]: 5 });
    for (let i = 0; i < 5; i += 1) await h.createUser(primary, [CLIENT], 'ASSIGNED');
    const sixth = await h.code(
      `mutation($input: CreateCicUserInput!) { createCicUser(input: $input) { id } }`,
      { input: { serverId: backup.id, name: 'sixth', allocationMethod: 'ASSIGNED', licenses: [CLIENT] } },
    );
    expect(sixth.code).toBe('LICENSE_EXHAUSTED');
    // Stations too: the Basic Station licences are the pair's once.
    for (let i = 0; i < 3; i += 1) await h.createStation(backup);
    for (let i = 0; i < 2; i += 1) await h.createStation(primary);
    const station = await h.code(
      `mutation($input: CreateStationInput!) { createStation(input: $input) { id } }`,
      { input: { serverId: backup.id, name: 'one-too-many', kind: 'WORKSTATION', licenses: [BASIC] } },
    );
    expect(station.code).toBe('LICENSE_EXHAUSTED');

    // Both members show the same pools, users and stations: the unit's.
    for (const member of [primary, backup]) {
      expect(await h.statistic(member, CLIENT)).toMatchObject({ assignableAllowed: 5, assignableInUse: 5 });
      expect(await h.statistic(member, BASIC)).toMatchObject({ assignableAllowed: 5, assignableInUse: 5 });
    }
    const [a, b] = [await view(primary), await view(backup)];
    expect(a).toMatchObject({ active: true, standby: false, unitId: primary.id });
    expect(b).toMatchObject({ active: false, standby: true, unitId: primary.id });
    expect(b.switchoverPartner).toEqual({ id: primary.id });
    expect(a.users).toHaveLength(5);
    expect(b.users).toEqual(a.users);
    expect(b.stations).toEqual(a.stations);
  });

  it('a user name is the unit’s: the backup cannot configure a second user of the same name', async () => {
    const { primary, backup } = await pair({ [`${CLIENT}_CONCURRENT`]: 2 });
    await h.createUser(primary, [CLIENT], 'CONCURRENT', 'agent-1');
    const twin = await h.code(
      `mutation($input: CreateCicUserInput!) { createCicUser(input: $input) { id } }`,
      { input: { serverId: backup.id, name: 'agent-1', allocationMethod: 'CONCURRENT', licenses: [CLIENT] } },
    );
    expect(twin.code).toBe('BAD_USER_INPUT');
  });

  it('"only the active member accepts logons": the standby refuses with SERVER_STANDBY, recorded as a denial', async () => {
    const { primary, backup } = await pair({ [`${CLIENT}_CONCURRENT`]: 5, [BASIC]: 5 });
    const station = await h.createStation(primary);
    const userId = await h.createUser(primary, [CLIENT]);
    const refused = await h.code(
      `mutation($input: LogonInput!) { logon(input: $input) { acquired } }`,
      { input: { serverId: backup.id, userId, stationId: station, application: 'Interaction Connect' } },
      await h.machine(backup.id),
    );
    expect(refused.code).toBe('SERVER_STANDBY');
    expect((await h.statistic(primary, CLIENT)).concurrentInUse).toBe(0);
    const report = await h.gql<{ licenseDenials: Array<{ reason: string; userId: string }> }>(
      `query($id: ID!) { licenseDenials(serverId: $id) { reason userId } }`,
      { id: backup.id },
    );
    expect(report.licenseDenials).toEqual([{ reason: 'SERVER_STANDBY', userId }]);

    // The active member takes the logon; a logoff reported by the standby finds no session there.
    const logon = await h.logon(primary, { userId, stationId: station });
    expect(logon.acquired).toEqual([`${CLIENT}_CONCURRENT`]);
    expect(await h.logoff(backup, { userId })).toMatchObject({ ended: false, remainingSessions: 1 });
    expect((await h.statistic(backup, CLIENT)).concurrentInUse).toBe(1);
    expect(await h.logoff(primary, { userId })).toMatchObject({ ended: true });
    expect((await h.statistic(backup, CLIENT)).concurrentInUse).toBe(0);
  });

  it('"a switchover makes the other member active and ends the sessions on the old one"', async () => {
    const { primary, backup } = await pair({ [`${CLIENT}_CONCURRENT`]: 1, [BASIC]: 5 });
    const station = await h.createStation(primary);
    const [first, second] = [await h.createUser(primary, [CLIENT]), await h.createUser(backup, [CLIENT])];
    const logon = await h.logon(primary, { userId: first, stationId: station });

    h.clock.advance(5000);
    const at = h.clock.now().toISOString();
    const started = await h.gql<{ reportServerStarted: { active: boolean; standby: boolean } }>(
      START,
      { id: backup.id, switchover: true, at },
      await h.machine(backup.id),
    );
    expect(started.reportServerStarted).toMatchObject({ active: true, standby: false });
    expect(await view(primary)).toMatchObject({ active: false, standby: true });

    // The old member's session ended (cause recorded, naming the member it ran on), its licence back.
    const ended = (await h.events(Topics.SessionEnded)).filter(
      (e) => e.payload['sessionId'] === logon.session.id,
    );
    expect(ended.map((e) => e.payload)).toEqual([
      expect.objectContaining({ serverId: primary.id, cause: 'SWITCHOVER', occurredAt: at }),
    ]);
    expect((await h.statistic(backup, CLIENT)).concurrentInUse).toBe(0);

    // Now the backup takes logons and the primary refuses them; still one licence for the pair.
    const taken = await h.logon(backup, { userId: second, stationId: station });
    expect(taken.acquired).toEqual([`${CLIENT}_CONCURRENT`]);
    const started2 = (await h.events(Topics.SessionStarted)).filter(
      (e) => e.payload['sessionId'] === taken.session.id,
    );
    expect(started2.map((e) => e.payload['serverId'])).toEqual([backup.id]);
    const standby = await h.code(
      `mutation($input: LogonInput!) { logon(input: $input) { acquired } }`,
      {
        input: {
          serverId: primary.id,
          userId: first,
          stationId: station,
          application: 'Interaction Connect',
        },
      },
      await h.machine(primary.id),
    );
    expect(standby.code).toBe('SERVER_STANDBY');
    const full = await h.code(
      `mutation($input: LogonInput!) { logon(input: $input) { acquired } }`,
      {
        input: { serverId: backup.id, userId: first, stationId: station, application: 'Interaction Connect' },
      },
      await h.machine(backup.id),
    );
    expect(full.code).toBe('CLIENT_ACCESS_UNAVAILABLE');
    expect((await h.statistic(primary, CLIENT)).concurrentInUse).toBe(1);

    // Replaying the switchover changes nothing; switching back ends the backup's sessions.
    await h.gql(START, { id: backup.id, switchover: true, at }, await h.machine(backup.id));
    expect((await h.statistic(primary, CLIENT)).concurrentInUse).toBe(1);
    h.clock.advance(5000);
    await h.gql(
      START,
      { id: primary.id, switchover: true, at: h.clock.now().toISOString() },
      await h.machine(primary.id),
    );
    expect(await view(primary)).toMatchObject({ active: true, standby: false });
    expect(await view(backup)).toMatchObject({ active: false, standby: true });
    expect((await h.statistic(primary, CLIENT)).concurrentInUse).toBe(0);
  });

  it('logons racing a switchover leave no session on the new standby once the sweeper ran', async () => {
    const { primary, backup } = await pair({ [`${CLIENT}_CONCURRENT`]: 50, [BASIC]: 5 });
    const station = await h.createStation(primary);
    const users = await Promise.all(
      Array.from({ length: 40 }, (_, i) => h.createUser(primary, [CLIENT], 'CONCURRENT', `racer-${i}`)),
    );
    const token = await h.machine(primary.id);
    const base = h.clock.now().getTime();
    const logons = users.map((userId, i) =>
      h.raw(
        `mutation($input: LogonInput!) { logon(input: $input) { acquired } }`,
        {
          input: {
            serverId: primary.id,
            userId,
            stationId: station,
            application: 'Interaction Connect',
            occurredAt: new Date(base + i).toISOString(),
          },
        },
        token,
      ),
    );
    const switchover = h.gql(
      START,
      { id: backup.id, switchover: true, at: new Date(base + 20).toISOString() },
      await h.machine(backup.id),
    );
    const results = await Promise.all(logons);
    await switchover;
    for (const r of results)
      expect([undefined, 'SERVER_STANDBY']).toContain(r.errors?.[0]?.extensions?.['code']);
    await h.main.services.sessions.sweep();
    const active = await h.gql<{ sessions: unknown[] }>(
      `query($id: ID!) { sessions(serverId: $id, activeOnly: true) { id } }`,
      { id: primary.id },
    );
    expect(active.sessions).toEqual([]);
    expect((await h.statistic(backup, CLIENT)).concurrentInUse).toBe(0);
  });

  it('a supervisor watching either member sees the pair’s pools change', async () => {
    const { primary, backup } = await pair({ [`${CLIENT}_CONCURRENT`]: 5, [BASIC]: 5 });
    const station = await h.createStation(primary);
    const userId = await h.createUser(primary, [CLIENT]);
    const supervisor = await h.token(['SUPERVISOR'], { accountId: primary.accountId });
    const client = wsClient(h.url, supervisor);
    try {
      const subscription = subscribe<StatisticsUpdate>(client, STATISTICS_SUBSCRIPTION, { id: backup.id });
      const first = await subscription.next(1);
      expect(first.data?.licenseStatisticsChanged.server.id).toBe(backup.id);
      await h.logon(primary, { userId, stationId: station });
      const second = await subscription.next(2);
      expect(second.data?.licenseStatisticsChanged.server.id).toBe(backup.id);
      expect(
        second.data?.licenseStatisticsChanged.statistics.find((s) => s.key === CLIENT)?.concurrentInUse,
      ).toBe(1);
      subscription.close();
    } finally {
      await client.dispose();
    }
  });

  it('a server already in a pair takes no second partner', async () => {
    const { primary, backup } = await pair({ [CLIENT]: 1 });
    for (const partner of [primary, backup]) {
      const third = await h.code(
        `mutation($input: RegisterServerInput!) { registerServer(input: $input) { id } }`,
        {
          input: {
            accountId: primary.accountId,
            installSiteId: primary.installSiteId,
            name: `third-${partner.id.slice(0, 6)}`,
            switchoverPartnerId: partner.id,
          },
        },
      );
      expect(third.code).toBe('BAD_USER_INPUT');
    }
  });
});
