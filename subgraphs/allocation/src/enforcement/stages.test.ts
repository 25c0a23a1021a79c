import { Topics } from '@lic/shared';
import { describeEachDatabase } from '@lic/testing';
import { Harness, LOGON, type TestServer } from '../../test/harness.js';

const CLIENT = 'I3_ACCESS_CLIENT';
const SUPERVISOR = 'I3_ACCESS_WORKGROUP_SUPERVISOR_PLUGIN';
const BASIC = 'I3_LICENSE_BASIC_STATION';

const SESSIONS = `query($id: ID!) { sessions(serverId: $id, activeOnly: false) { userId endedAt endCause } }`;
const SET_USER = `mutation($id: ID!, $l: [String!]!) { setUserLicenses(userId: $id, licenses: $l) { id } }`;
const DELETE_USER = `mutation($id: ID!) { deleteCicUser(id: $id) }`;
const DELETE_STATION = `mutation($id: ID!) { deleteStation(id: $id) }`;
const CREATE_USER = `mutation($input: CreateCicUserInput!) { createCicUser(input: $input) { id } }`;
const CREATE_STATION = `mutation($input: CreateStationInput!) { createStation(input: $input) { id } }`;

interface SessionRow {
  userId: string;
  endedAt: string | null;
  endCause: string | null;
}

/**
 * Enforcement stages 4 and 6 in full (docs/domain.md section 4, the stage table):
 * stage 4 "supervisor licences can no longer be acquired; held ones are released (assigned ones
 * withheld, usable again at stage 1)"; stage 6 "server reverts to unlicensed: 2 call ports,
 * nothing else. Sessions open on the server are ended (cause recorded), every held licence,
 * assigned or concurrent, is released or withheld, and nothing is acquired until stage 1".
 */
describeEachDatabase('enforcement stages 4 and 6 in full', (database) => {
  let h: Harness;

  beforeAll(async () => {
    h = await Harness.start({ database });
  });
  afterAll(() => h.close());

  const stage = (server: TestServer, from: number, to: number) => h.enforcementStage(server, from, to);

  const sessions = async (server: TestServer): Promise<SessionRow[]> =>
    (await h.gql<{ sessions: SessionRow[] }>(SESSIONS, { id: server.id })).sessions;

  const inUse = async (server: TestServer, key: string) => {
    const s = await h.statistic(server, key);
    return {
      assignable: s.assignableInUse,
      configured: s.assignableConfigured,
      concurrent: s.concurrentInUse,
    };
  };

  it('stage 6 ends every session (cause recorded, billing told), gives back concurrent licences and withholds assigned ones; stage 1 restores them', async () => {
    const server = await h.serverWith({
      [`${CLIENT}_CONCURRENT`]: 5,
      [CLIENT]: 5,
      [BASIC]: 5,
      [SUPERVISOR]: 2,
    });
    const desk = await h.createStation(server);
    const otherDesk = await h.createStation(server);
    const concurrent = await h.createUser(server, [CLIENT], 'CONCURRENT');
    const assigned = await h.createUser(server, [CLIENT, SUPERVISOR], 'ASSIGNED');
    await h.logon(server, { userId: concurrent, stationId: desk });
    await h.logon(server, { userId: assigned, stationId: otherDesk });
    expect(await inUse(server, CLIENT)).toEqual({ assignable: 1, configured: 1, concurrent: 1 });

    await stage(server, 5, 6);

    // "Sessions open on the server are ended (cause recorded)".
    const ended = await sessions(server);
    expect(ended).toHaveLength(2);
    for (const session of ended) expect(session).toMatchObject({ endCause: 'UNLICENSED' });
    expect(ended.every((s) => s.endedAt !== null)).toBe(true);
    const events = (await h.events(Topics.SessionEnded)).filter((e) => e.payload['serverId'] === server.id);
    expect(events.map((e) => e.payload['cause'])).toEqual(['UNLICENSED', 'UNLICENSED']);

    // "every held licence, assigned or concurrent, is released or withheld"; configuration is kept.
    expect(await inUse(server, CLIENT)).toEqual({ assignable: 0, configured: 1, concurrent: 0 });
    expect(await inUse(server, SUPERVISOR)).toEqual({ assignable: 0, configured: 1, concurrent: 0 });
    expect(await inUse(server, BASIC)).toEqual({ assignable: 0, configured: 2, concurrent: 0 });
    expect((await h.statistic(server, CLIENT)).note).toMatch(/Withheld/);
    const user = await h.gql<{ cicUser: { held: string[]; licenses: string[] } }>(
      `query($id: ID!) { cicUser(id: $id) { held licenses } }`,
      { id: concurrent },
    );
    expect(user.cicUser).toEqual({ held: [], licenses: [CLIENT] });

    // "nothing is acquired until stage 1": logons and assignments alike.
    for (const userId of [concurrent, assigned]) {
      const refused = await h.code(
        LOGON,
        { input: { serverId: server.id, userId, stationId: desk, application: 'Interaction Desktop' } },
        await h.machine(server.id),
      );
      expect(refused.code).toBe('CLIENT_ACCESS_UNAVAILABLE');
    }
    // Each refusal is recorded with its reason, for the supervisors' denial report.
    const denials = await h.gql<{ licenseDenials: Array<{ reason: string; userId: string }> }>(
      `query($id: ID!) { licenseDenials(serverId: $id, key: "${CLIENT}") { reason userId } }`,
      { id: server.id },
    );
    expect(denials.licenseDenials.map((d) => d.reason)).toEqual(['UNLICENSED', 'UNLICENSED']);
    const assign = await h.code(CREATE_USER, {
      input: { serverId: server.id, name: 'late', allocationMethod: 'ASSIGNED', licenses: [CLIENT] },
    });
    expect(assign.code).toBe('LICENSE_EXHAUSTED');
    const station = await h.code(CREATE_STATION, {
      input: { serverId: server.id, name: 'late desk', kind: 'WORKSTATION', licenses: [BASIC] },
    });
    expect(station.code).toBe('LICENSE_EXHAUSTED');
    expect(await inUse(server, CLIENT)).toEqual({ assignable: 0, configured: 1, concurrent: 0 });

    // Stage 1: the assignments count again, and logons work.
    await stage(server, 6, 1);
    expect(await inUse(server, CLIENT)).toEqual({ assignable: 1, configured: 1, concurrent: 0 });
    expect(await inUse(server, SUPERVISOR)).toEqual({ assignable: 1, configured: 1, concurrent: 0 });
    expect(await inUse(server, BASIC)).toEqual({ assignable: 2, configured: 2, concurrent: 0 });
    expect((await h.statistic(server, CLIENT)).note).toBeNull();
    const back = await h.logon(server, { userId: concurrent, stationId: desk });
    expect(back.acquired).toEqual([`${CLIENT}_CONCURRENT`]);
    const assignedBack = await h.logon(server, { userId: assigned, stationId: otherDesk });
    expect(assignedBack.licenses).toEqual(expect.arrayContaining([CLIENT, SUPERVISOR]));
  });

  it('keeps counts exact when assignments are removed or deleted, or a new file is loaded, while withheld', async () => {
    const server = await h.serverWith({ [CLIENT]: 3, [BASIC]: 3 });
    const kept = await h.createUser(server, [CLIENT], 'ASSIGNED');
    const emptied = await h.createUser(server, [CLIENT], 'ASSIGNED');
    const deleted = await h.createUser(server, [CLIENT], 'ASSIGNED');
    const keptDesk = await h.createStation(server);
    const deletedDesk = await h.createStation(server);
    await stage(server, 5, 6);

    await h.gql(SET_USER, { id: emptied, l: [] });
    await h.gql(DELETE_USER, { id: deleted });
    await h.gql(DELETE_STATION, { id: deletedDesk });
    expect(await inUse(server, CLIENT)).toEqual({ assignable: 0, configured: 1, concurrent: 0 });
    expect(await inUse(server, BASIC)).toEqual({ assignable: 0, configured: 1, concurrent: 0 });

    // A new, smaller file while withheld: limits follow it, nothing is restored yet.
    await h.load(server, { [CLIENT]: 2, [BASIC]: 2 });
    expect(await h.statistic(server, CLIENT)).toMatchObject({ assignableInUse: 0, assignableAllowed: 0 });

    await stage(server, 6, 1);
    // Exactly the assignments left: no double count, nothing negative.
    expect(await inUse(server, CLIENT)).toEqual({ assignable: 1, configured: 1, concurrent: 0 });
    expect(await inUse(server, BASIC)).toEqual({ assignable: 1, configured: 1, concurrent: 0 });
    expect(await h.statistic(server, CLIENT)).toMatchObject({ assignableAllowed: 2, available: 1 });
    await h.gql(SET_USER, { id: emptied, l: [CLIENT] });
    const over = await h.code(CREATE_USER, {
      input: { serverId: server.id, name: 'third', allocationMethod: 'ASSIGNED', licenses: [CLIENT] },
    });
    expect(over.code).toBe('LICENSE_EXHAUSTED');
    expect(await inUse(server, CLIENT)).toEqual({ assignable: 2, configured: 2, concurrent: 0 });
    const user = await h.gql<{ cicUser: { licenses: string[] } }>(
      `query($id: ID!) { cicUser(id: $id) { licenses } }`,
      { id: kept },
    );
    expect(user.cicUser.licenses).toEqual([CLIENT]);
    const desk = await h.gql<{ station: { licenses: string[] } }>(
      `query($id: ID!) { station(id: $id) { licenses } }`,
      { id: keptDesk },
    );
    expect(desk.station.licenses).toEqual([BASIC]);
  });

  it('a stage 6 repeated, or a stage 5 after 6, withholds nothing twice', async () => {
    const server = await h.serverWith({ [CLIENT]: 2, [BASIC]: 2 });
    await h.createUser(server, [CLIENT], 'ASSIGNED');
    await stage(server, 5, 6);
    await stage(server, 6, 6);
    expect(await inUse(server, CLIENT)).toEqual({ assignable: 0, configured: 1, concurrent: 0 });
    await stage(server, 6, 5);
    expect(await inUse(server, CLIENT)).toEqual({ assignable: 1, configured: 1, concurrent: 0 });
    await stage(server, 5, 1);
    expect(await inUse(server, CLIENT)).toEqual({ assignable: 1, configured: 1, concurrent: 0 });
  });

  it('logons racing stage 6 leave no session open and nothing held, assigned or concurrent', async () => {
    const server = await h.serverWith({ [`${CLIENT}_CONCURRENT`]: 40, [CLIENT]: 40 });
    const users: string[] = [];
    for (let i = 0; i < 20; i += 1) users.push(await h.createUser(server, [CLIENT], 'ASSIGNED'));
    for (let i = 0; i < 20; i += 1) users.push(await h.createUser(server, [CLIENT], 'CONCURRENT'));
    const desks: string[] = [];
    for (let i = 0; i < users.length; i += 1) desks.push(await h.createStation(server, []));
    const machine = await h.machine(server.id);
    h.clock.advance(1000);
    const logons = Promise.allSettled(
      users.map((userId, i) =>
        h.gql(
          LOGON,
          { input: { serverId: server.id, userId, stationId: desks[i], application: 'Interaction Connect' } },
          machine,
        ),
      ),
    );
    await new Promise((r) => setTimeout(r, 5));
    await stage(server, 5, 6);
    const results = await logons;
    for (const result of results) {
      if (result.status === 'rejected') expect(String(result.reason)).toMatch(/CLIENT_ACCESS_UNAVAILABLE/);
    }
    expect((await sessions(server)).filter((s) => s.endedAt === null)).toEqual([]);
    expect(await inUse(server, CLIENT)).toEqual({ assignable: 0, configured: 20, concurrent: 0 });
    const held = await h.gql<{ cicUsers: Array<{ held: string[] }> }>(
      `query($id: ID!) { cicUsers(serverId: $id) { held } }`,
      { id: server.id },
    );
    expect(held.cicUsers.flatMap((u) => u.held)).toEqual([]);
  });

  it('stage 4 withholds assigned supervisor licences too (not in use, configuration kept) and stage 1 restores them', async () => {
    const server = await h.serverWith({ [CLIENT]: 5, [SUPERVISOR]: 2, [BASIC]: 5 });
    const desk = await h.createStation(server);
    const supervisor = await h.createUser(server, [CLIENT, SUPERVISOR], 'ASSIGNED');
    await h.logon(server, { userId: supervisor, stationId: desk });
    expect(await inUse(server, SUPERVISOR)).toEqual({ assignable: 1, configured: 1, concurrent: 0 });

    await stage(server, 3, 4);
    // "held ones are released (assigned ones withheld, usable again at stage 1)".
    expect(await inUse(server, SUPERVISOR)).toEqual({ assignable: 0, configured: 1, concurrent: 0 });
    expect(await inUse(server, CLIENT)).toEqual({ assignable: 1, configured: 1, concurrent: 0 });
    const capabilities = await h.gql<{ cicUser: { capabilities: string[] } }>(
      `query($id: ID!) { cicUser(id: $id) { capabilities } }`,
      { id: supervisor },
    );
    expect(capabilities.cicUser.capabilities).not.toContain(SUPERVISOR);
    const another = await h.code(CREATE_USER, {
      input: { serverId: server.id, name: 'sup2', allocationMethod: 'ASSIGNED', licenses: [SUPERVISOR] },
    });
    expect(another.code).toBe('LICENSE_EXHAUSTED');
    // The session itself goes on at stage 4.
    expect((await sessions(server)).filter((s) => s.endedAt === null)).toHaveLength(1);

    await stage(server, 4, 1);
    expect(await inUse(server, SUPERVISOR)).toEqual({ assignable: 1, configured: 1, concurrent: 0 });
    const second = await h.createUser(server, [SUPERVISOR], 'ASSIGNED');
    expect(second).toBeTruthy();
    expect(await inUse(server, SUPERVISOR)).toEqual({ assignable: 2, configured: 2, concurrent: 0 });
  });
});
