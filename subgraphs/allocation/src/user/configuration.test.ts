import { Topics } from '@lic/shared';
import { describeEachDatabase } from '@lic/testing';
import { Harness } from '../../test/harness.js';

const CLIENT = 'I3_ACCESS_CLIENT';
const BASIC = 'I3_LICENSE_BASIC_STATION';
const CREATE_USER = `mutation($input: CreateCicUserInput!) { createCicUser(input: $input) { id licenses warnings allocationMethod } }`;
const SET_LICENSES = `mutation($id: ID!, $licenses: [String!]!, $method: AllocationMethod) {
  setUserLicenses(userId: $id, licenses: $licenses, allocationMethod: $method) { id licenses allocationMethod }
}`;
const CREATE_STATION = `mutation($input: CreateStationInput!) { createStation(input: $input) { id kind enabled licenses warnings } }`;

/** docs/domain.md section 2's configuration rules, each with its stable code. */
describeEachDatabase('users and stations: licence configuration rules', (database) => {
  let h: Harness;

  beforeAll(async () => {
    h = await Harness.start({ database });
  });
  afterAll(() => h.close());

  const userInput = (
    serverId: string,
    licenses: string[],
    allocationMethod = 'ASSIGNED',
    name = `u-${Math.random()}`,
  ) => ({
    input: { serverId, name, allocationMethod, licenses },
  });

  it('refuses each broken rule with its code and changes nothing', async () => {
    const server = await h.serverWith({
      [CLIENT]: 10,
      [`${CLIENT}_CONCURRENT`]: 10,
      I3_ACCESS_ANALYZER: 5,
      I3_ACCESS_RECORDER: 5,
      [BASIC]: 10,
    });
    const cases: Array<[string[], string, string, string?]> = [
      [[CLIENT, BASIC], 'ASSIGNED', 'STATION_ONLY_LICENSE', BASIC],
      [[CLIENT, `${CLIENT}_CONCURRENT`], 'ASSIGNED', 'ALLOCATION_METHOD_CONFLICT', `${CLIENT}_CONCURRENT`],
      [[CLIENT, 'I3_ACCESS_ANALYZER'], 'ASSIGNED', 'MISSING_PREREQUISITE', 'I3_ACCESS_RECORDER'],
      [[CLIENT, 'I3_FEATURE_SIP'], 'ASSIGNED', 'BAD_USER_INPUT'],
      [['not a key'], 'ASSIGNED', 'BAD_USER_INPUT'],
    ];
    for (const [licenses, method, code, key] of cases) {
      const failure = await h.code(CREATE_USER, userInput(server.id, licenses, method));
      expect({ licenses, code: failure.code }).toEqual({ licenses, code });
      if (key) expect(failure.extensions['key']).toBe(key);
    }
    // Analyzer with Recorder, but the server's file lacks the Analyzer real-time and Recorder features.
    const features = await h.code(
      CREATE_USER,
      userInput(server.id, [CLIENT, 'I3_ACCESS_ANALYZER', 'I3_ACCESS_RECORDER']),
    );
    expect(features.code).toBe('MISSING_PREREQUISITE');
    expect(await h.statistic(server, CLIENT)).toMatchObject({
      assignableConfigured: 0,
      concurrentConfigured: 0,
    });

    const withFeatures = await h.serverWith({
      [CLIENT]: 1,
      I3_ACCESS_ANALYZER: 1,
      I3_ACCESS_RECORDER: 1,
      I3_FEATURE_ANALYZER_REALTIME: 1,
      I3_FEATURE_RECORDER: 1,
    });
    await h.gql(
      CREATE_USER,
      userInput(withFeatures.id, [CLIENT, 'I3_ACCESS_ANALYZER', 'I3_ACCESS_RECORDER']),
    );
    expect((await h.statistic(withFeatures, 'I3_ACCESS_ANALYZER')).assignableInUse).toBe(1);
  });

  it('ASSIGNED takes the licences when assigned, CONCURRENT only configures; any number may be configured', async () => {
    const server = await h.serverWith({ [CLIENT]: 2, [`${CLIENT}_CONCURRENT`]: 1 });
    await h.createUser(server, [CLIENT], 'ASSIGNED');
    for (let i = 0; i < 3; i += 1) await h.createUser(server, ['I3_CLIENT_ACCESS'], 'CONCURRENT');
    expect(await h.statistic(server, CLIENT)).toMatchObject({
      assignableConfigured: 1,
      assignableInUse: 1,
      concurrentConfigured: 3,
      concurrentInUse: 0,
    });
    // The reference's other spelling of the client key names the same licence.
    const spelled = await h.gql<{ createCicUser: { licenses: string[] } }>(
      CREATE_USER,
      userInput(server.id, ['I3_CLIENT_ACCESS'], 'ASSIGNED'),
    );
    expect(spelled.createCicUser.licenses).toEqual([CLIENT]);
    expect((await h.code(CREATE_USER, userInput(server.id, [CLIENT], 'ASSIGNED'))).code).toBe(
      'LICENSE_EXHAUSTED',
    );
  });

  it('setUserLicenses moves the pools by the difference, and switching the method moves them all', async () => {
    const server = await h.serverWith({ [CLIENT]: 5, I3_ACCESS_TRACKER: 5, [`${CLIENT}_CONCURRENT`]: 5 });
    const userId = await h.createUser(server, [CLIENT, 'I3_ACCESS_TRACKER'], 'ASSIGNED');
    await h.gql(SET_LICENSES, { id: userId, licenses: [CLIENT] });
    expect((await h.statistic(server, 'I3_ACCESS_TRACKER')).assignableInUse).toBe(0);
    expect((await h.statistic(server, CLIENT)).assignableInUse).toBe(1);

    const switched = await h.gql<{ setUserLicenses: { allocationMethod: string } }>(SET_LICENSES, {
      id: userId,
      licenses: [CLIENT],
      method: 'CONCURRENT',
    });
    expect(switched.setUserLicenses.allocationMethod).toBe('CONCURRENT');
    expect(await h.statistic(server, CLIENT)).toMatchObject({
      assignableInUse: 0,
      assignableConfigured: 0,
      concurrentConfigured: 1,
    });

    // Assigning from an exhausted pool is refused and leaves the user as it was.
    const other = await h.serverWith({ [CLIENT]: 1, I3_ACCESS_TRACKER: 0 + 1 });
    const a = await h.createUser(other, [CLIENT, 'I3_ACCESS_TRACKER'], 'ASSIGNED');
    const b = await h.createUser(other, [], 'ASSIGNED');
    const refused = await h.code(SET_LICENSES, { id: b, licenses: ['I3_ACCESS_TRACKER'] });
    expect(refused.code).toBe('LICENSE_EXHAUSTED');
    const user = await h.gql<{ cicUser: { licenses: string[] } }>(
      `query($id: ID!) { cicUser(id: $id) { licenses } }`,
      { id: b },
    );
    expect(user.cicUser.licenses).toEqual([]);
    expect((await h.statistic(other, 'I3_ACCESS_TRACKER')).denials).toBe(1);
    void a;
  });

  it('deleting a user ends its sessions and gives back what it held and was assigned', async () => {
    const server = await h.serverWith({ [CLIENT]: 3, [`${CLIENT}_CONCURRENT`]: 3, [BASIC]: 3 });
    const station = await h.createStation(server);
    const assigned = await h.createUser(server, [CLIENT], 'ASSIGNED');
    const concurrent = await h.createUser(server, [CLIENT], 'CONCURRENT');
    await h.logon(server, { userId: concurrent, stationId: station });
    await h.logon(server, { userId: assigned, stationId: station, application: 'Interaction Desktop' });
    expect(await h.statistic(server, CLIENT)).toMatchObject({ assignableInUse: 1, concurrentInUse: 1 });

    await h.gql(`mutation($id: ID!) { deleteCicUser(id: $id) }`, { id: concurrent });
    await h.gql(`mutation($id: ID!) { deleteCicUser(id: $id) }`, { id: assigned });
    expect(await h.statistic(server, CLIENT)).toMatchObject({
      assignableInUse: 0,
      assignableConfigured: 0,
      concurrentInUse: 0,
      concurrentConfigured: 0,
    });
    const ended = (await h.events(Topics.SessionEnded)).filter((e) => e.payload['serverId'] === server.id);
    expect(ended.map((e) => e.payload['cause'])).toEqual(['USER_DELETED', 'USER_DELETED']);
  });

  it('stations: every kind, ASSIGNED only, Basic Station for stations, audio warning without it', async () => {
    const server = await h.serverWith({ [BASIC]: 10, [CLIENT]: 10, I3_ACCESS_IPA_PROCESS_DESIGNER: 2 });
    const kinds = [
      'WORKSTATION',
      'MANAGED_WORKSTATION',
      'STAND_ALONE_FAX',
      'STAND_ALONE_PHONE',
      'REMOTE',
      'DYNAMIC_REMOTE',
    ];
    for (const kind of kinds) {
      const licenses = kind === 'DYNAMIC_REMOTE' ? [] : [BASIC];
      const created = await h.gql<{ createStation: { kind: string; warnings: string[] } }>(CREATE_STATION, {
        input: { serverId: server.id, name: `station-${kind}`, kind, licenses },
      });
      expect(created.createStation).toEqual(expect.objectContaining({ kind, warnings: [] }));
    }
    expect((await h.statistic(server, BASIC)).assignableInUse).toBe(5);

    const silent = await h.gql<{ createStation: { warnings: string[]; enabled: boolean } }>(CREATE_STATION, {
      input: { serverId: server.id, name: 'no-audio', kind: 'WORKSTATION', licenses: [CLIENT] },
    });
    expect(silent.createStation.enabled).toBe(true);
    expect(silent.createStation.warnings.join(' ')).toMatch(/audio is inactive/i);

    const station = (name: string, licenses: string[], kind = 'WORKSTATION') => ({
      input: { serverId: server.id, name, kind, licenses },
    });
    expect((await h.code(CREATE_STATION, station('c', [`${CLIENT}_CONCURRENT`]))).code).toBe(
      'CONCURRENT_NOT_ALLOWED_FOR_STATIONS',
    );
    expect((await h.code(CREATE_STATION, station('d', [BASIC], 'DYNAMIC_REMOTE'))).code).toBe(
      'BAD_USER_INPUT',
    );
    const userOnly = await h.code(CREATE_STATION, station('e', [BASIC, 'I3_ACCESS_IPA_PROCESS_DESIGNER']));
    expect(userOnly).toMatchObject({
      code: 'BAD_USER_INPUT',
      extensions: expect.objectContaining({ key: 'I3_ACCESS_IPA_PROCESS_DESIGNER' }),
    });
    expect((await h.code(CREATE_USER, userInput(server.id, [BASIC]))).code).toBe('STATION_ONLY_LICENSE');

    // Exhausting Basic Station refuses the next assignment.
    const small = await h.serverWith({ [BASIC]: 1 });
    await h.createStation(small);
    expect(
      (
        await h.code(CREATE_STATION, {
          input: { serverId: small.id, name: 'x', kind: 'REMOTE', licenses: [BASIC] },
        })
      ).code,
    ).toBe('LICENSE_EXHAUSTED');
  });

  it('deleting a station gives its licences back, but not while a user is logged on at it', async () => {
    const server = await h.serverWith({ [BASIC]: 2, [CLIENT]: 2 });
    const stationId = await h.createStation(server, [BASIC, CLIENT]);
    const userId = await h.createUser(server, [], 'ASSIGNED');
    await h.logon(server, { userId, stationId });
    const busy = await h.code(`mutation($id: ID!) { deleteStation(id: $id) }`, { id: stationId });
    expect(busy.code).toBe('BAD_USER_INPUT');
    await h.logoff(server, { userId });
    await h.gql(`mutation($id: ID!) { deleteStation(id: $id) }`, { id: stationId });
    expect((await h.statistic(server, BASIC)).assignableInUse).toBe(0);
    expect((await h.statistic(server, CLIENT)).assignableInUse).toBe(0);
  });

  it('only the account’s administrators, partners and the licensing team configure; supervisors read', async () => {
    const server = await h.serverWith({ [CLIENT]: 5 });
    const supervisor = await h.token(['SUPERVISOR'], { accountId: server.accountId });
    const customer = await h.token(['CUSTOMER_ADMIN'], { accountId: server.accountId });
    const stranger = await h.token(['CUSTOMER_ADMIN'], { accountId: 'not-this-account' });
    expect((await h.code(CREATE_USER, userInput(server.id, [CLIENT]), supervisor)).code).toBe('FORBIDDEN');
    expect((await h.code(CREATE_USER, userInput(server.id, [CLIENT]), stranger)).code).toBe('FORBIDDEN');
    await h.gql(CREATE_USER, userInput(server.id, [CLIENT]), customer);
    const read = await h.gql<{ cicUsers: unknown[] }>(
      `query($id: ID!) { cicUsers(serverId: $id) { id } }`,
      { id: server.id },
      supervisor,
    );
    expect(read.cicUsers).toHaveLength(1);
    expect(
      (await h.code(`query($id: ID!) { cicUsers(serverId: $id) { id } }`, { id: server.id }, stranger)).code,
    ).toBe('FORBIDDEN');
    expect(
      (await h.code(`query($id: ID!) { cicUsers(serverId: $id) { id } }`, { id: server.id }, '')).code,
    ).toBe('UNAUTHENTICATED');
  });
});
