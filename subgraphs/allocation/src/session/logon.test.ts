import { Topics } from '@lic/shared';
import { describeEachDatabase } from '@lic/testing';
import { Harness, LOGON, type TestServer } from '../../test/harness.js';

const CLIENT = 'I3_ACCESS_CLIENT';
const TRACKER = 'I3_ACCESS_TRACKER';
const BASIC = 'I3_LICENSE_BASIC_STATION';

/** Logon and logoff as docs/domain.md section 2 describes them, on both engines. */
describeEachDatabase('logon and logoff', (database) => {
  let h: Harness;

  beforeAll(async () => {
    h = await Harness.start({ database });
  });
  afterAll(() => h.close());

  const refusal = async (server: TestServer, input: Record<string, unknown>) =>
    h.code(
      LOGON,
      { input: { serverId: server.id, application: 'Interaction Connect', ...input } },
      await h.machine(server.id),
    );

  it('the session has the union of user and station licences; client access may come from either', async () => {
    const server = await h.serverWith({ [CLIENT]: 5, [TRACKER]: 5, [BASIC]: 5 });
    const station = await h.createStation(server, [BASIC, CLIENT]);
    const userId = await h.createUser(server, [TRACKER], 'ASSIGNED');
    const result = await h.logon(server, { userId, stationId: station });
    expect(result.licenses).toEqual([CLIENT, TRACKER, BASIC].sort());
    expect(result.acquired).toEqual([]);
  });

  it('refuses a logon when client access can be had from neither user nor station, and takes nothing', async () => {
    const server = await h.serverWith({
      [`${CLIENT}_CONCURRENT`]: 1,
      [`${TRACKER}_CONCURRENT`]: 5,
      [BASIC]: 5,
    });
    const station = await h.createStation(server);
    const noClient = await h.createUser(server, [TRACKER], 'CONCURRENT');
    expect((await refusal(server, { userId: noClient, stationId: station })).code).toBe(
      'CLIENT_ACCESS_UNAVAILABLE',
    );

    const first = await h.createUser(server, [CLIENT, TRACKER]);
    const second = await h.createUser(server, [CLIENT, TRACKER]);
    await h.logon(server, { userId: first, stationId: station });
    const exhausted = await refusal(server, { userId: second, stationId: station });
    expect(exhausted).toMatchObject({
      code: 'CLIENT_ACCESS_UNAVAILABLE',
      extensions: expect.objectContaining({ key: CLIENT }),
    });
    // All-or-nothing: the refused logon did not keep the Tracker licence it could have had.
    expect((await h.statistic(server, TRACKER)).concurrentInUse).toBe(1);
    expect((await h.statistic(server, CLIENT)).denials).toBe(1);
    const report = await h.gql<{ licenseDenials: Array<{ key: string; userId: string; reason: string }> }>(
      `query($id: ID!) { licenseDenials(serverId: $id) { key userId reason occurredAt } }`,
      { id: server.id },
    );
    expect(report.licenseDenials).toEqual([
      expect.objectContaining({ key: `${CLIENT}_CONCURRENT`, userId: second, reason: 'EXHAUSTED' }),
    ]);
  });

  it('a second application at the same station reuses the licences; the same application is the same session', async () => {
    const server = await h.serverWith({
      [`${CLIENT}_CONCURRENT`]: 5,
      [`${TRACKER}_CONCURRENT`]: 5,
      [BASIC]: 5,
    });
    const station = await h.createStation(server);
    const userId = await h.createUser(server, [CLIENT, TRACKER]);
    const first = await h.logon(server, { userId, stationId: station, application: 'Interaction Connect' });
    const again = await h.logon(server, { userId, stationId: station, application: 'Interaction Connect' });
    expect(again).toMatchObject({ alreadyLoggedOn: true, acquired: [] });
    expect(again.session.id).toBe(first.session.id);
    const second = await h.logon(server, { userId, stationId: station, application: 'Interaction Desktop' });
    expect(second.acquired).toEqual([]);
    expect(second.reused).toEqual([`${CLIENT}_CONCURRENT`, `${TRACKER}_CONCURRENT`]);
    expect((await h.statistic(server, CLIENT)).concurrentInUse).toBe(1);

    // Licences are released when the user's last session ends.
    expect(await h.logoff(server, { userId, application: 'Interaction Connect' })).toMatchObject({
      ended: true,
      released: [],
      remainingSessions: 1,
    });
    expect((await h.statistic(server, CLIENT)).concurrentInUse).toBe(1);
    expect(await h.logoff(server, { userId, application: 'Interaction Desktop' })).toMatchObject({
      ended: true,
      released: [`${CLIENT}_CONCURRENT`, `${TRACKER}_CONCURRENT`],
      remainingSessions: 0,
    });
    expect((await h.statistic(server, CLIENT)).concurrentInUse).toBe(0);
    expect((await h.logoff(server, { userId, application: 'Interaction Desktop' })).ended).toBe(false);
  });

  it('applies every event of one user arriving at once (each read again if another changed the user first)', async () => {
    const server = await h.serverWith({ [`${CLIENT}_CONCURRENT`]: 5, [BASIC]: 5 });
    const station = await h.createStation(server);
    const userId = await h.createUser(server, [CLIENT]);
    const applications = ['Connect', 'Desktop', 'Scripter', 'Supervisor', 'Attendant', 'Reports'];
    const logons = await Promise.all(
      applications.map((application) => h.logon(server, { userId, stationId: station, application })),
    );
    // One licence taken by whichever came first; the others reuse it; six sessions, none lost.
    expect(logons.filter((l) => l.acquired.length > 0)).toHaveLength(1);
    expect(new Set(logons.map((l) => l.session.id)).size).toBe(6);
    expect((await h.statistic(server, CLIENT)).concurrentInUse).toBe(1);

    const logoffs = await Promise.all(
      applications.map((application) => h.logoff(server, { userId, application })),
    );
    expect(logoffs.every((l) => l.ended)).toBe(true);
    // Released once, by whichever logoff ended the last session.
    expect(logoffs.filter((l) => l.released.length > 0)).toHaveLength(1);
    expect((await h.statistic(server, CLIENT)).concurrentInUse).toBe(0);
  });

  it('logging on at another station logs the user off the previous one', async () => {
    const server = await h.serverWith({ [`${CLIENT}_CONCURRENT`]: 5, [BASIC]: 5 });
    const [a, b] = [await h.createStation(server), await h.createStation(server)];
    const userId = await h.createUser(server, [CLIENT]);
    const first = await h.logon(server, { userId, stationId: a, application: 'Interaction Connect' });
    await h.logon(server, { userId, stationId: a, application: 'Interaction Desktop' });
    const moved = await h.logon(server, { userId, stationId: b, application: 'Interaction Connect' });
    expect(moved.session.id).not.toBe(first.session.id);
    expect(moved.reused).toEqual([`${CLIENT}_CONCURRENT`]);
    expect((await h.statistic(server, CLIENT)).concurrentInUse).toBe(1);

    const user = await h.gql<{
      cicUser: { station: { id: string }; activeSessions: Array<{ application: string }> };
    }>(`query($id: ID!) { cicUser(id: $id) { station { id } activeSessions { application } } }`, {
      id: userId,
    });
    expect(user.cicUser.station.id).toBe(b);
    expect(user.cicUser.activeSessions.map((s) => s.application)).toEqual(['Interaction Connect']);
    const ended = (await h.events(Topics.SessionEnded)).filter((e) => e.payload['userId'] === userId);
    expect(ended.map((e) => [e.payload['application'], e.payload['cause']])).toEqual([
      ['Interaction Connect', 'REPLACED'],
      ['Interaction Desktop', 'REPLACED'],
    ]);
  });

  it('dynamic remote: a phone number takes a free Basic Station licence, needs no client access, else is refused', async () => {
    const server = await h.serverWith({ [BASIC]: 1, [TRACKER]: 2 });
    const userId = await h.createUser(server, [TRACKER], 'ASSIGNED');
    const other = await h.createUser(server, [TRACKER], 'ASSIGNED');
    const remote = await h.logon(server, { userId, dynamicRemotePhone: '+1 317 555 0100' });
    expect(remote.acquired).toEqual([BASIC]);
    expect(remote.licenses).toContain(TRACKER);
    expect((await h.statistic(server, BASIC)).assignableInUse).toBe(1);

    const refused = await refusal(server, { userId: other, dynamicRemotePhone: '+1 317 555 0101' });
    expect(refused.code).toBe('DYNAMIC_REMOTE_REJECTED');
    expect((await refusal(server, { userId: other, dynamicRemotePhone: 'call me' })).code).toBe(
      'BAD_USER_INPUT',
    );

    await h.logoff(server, { userId });
    expect((await h.statistic(server, BASIC)).assignableInUse).toBe(0);
    expect(
      (await h.logon(server, { userId: other, dynamicRemotePhone: '+1 317 555 0101' })).acquired,
    ).toEqual([BASIC]);
  });

  it('a replayed logon or logoff (same server, user, application, occurredAt) changes nothing', async () => {
    const server = await h.serverWith({ [`${CLIENT}_CONCURRENT`]: 5, [BASIC]: 5 });
    const station = await h.createStation(server);
    const userId = await h.createUser(server, [CLIENT]);
    // Reported times lie before the platform's clock (2024-03-01T08:00): buffered events.
    const logonAt = '2024-02-29T09:00:00.000Z';
    const logoffAt = '2024-02-29T17:00:00.000Z';
    const first = await h.logon(server, { userId, stationId: station, occurredAt: logonAt });
    const replay = await h.logon(server, { userId, stationId: station, occurredAt: logonAt });
    expect(replay.session.id).toBe(first.session.id);
    await h.logoff(server, { userId, occurredAt: logoffAt });
    const lateLogon = await h.logon(server, { userId, stationId: station, occurredAt: logonAt });
    expect(lateLogon).toMatchObject({ replayed: true });
    expect(lateLogon.session.id).toBe(first.session.id);
    const lateLogoff = await h.logoff(server, { userId, occurredAt: logoffAt });
    expect(lateLogoff).toMatchObject({ replayed: true, ended: true });
    expect((await h.statistic(server, CLIENT)).concurrentInUse).toBe(0);
    const started = (await h.events(Topics.SessionStarted)).filter((e) => e.payload['userId'] === userId);
    const ended = (await h.events(Topics.SessionEnded)).filter((e) => e.payload['userId'] === userId);
    expect(started).toHaveLength(1);
    expect(ended).toHaveLength(1);
    expect(started[0]!.payload).toMatchObject({
      occurredAt: logonAt,
      licenses: [CLIENT, `${CLIENT}_CONCURRENT`, BASIC],
    });
    expect(ended[0]!.payload).toMatchObject({ occurredAt: logoffAt, cause: 'LOGOFF' });

    // A logoff older than the running session belongs to an earlier one and cannot end it.
    await h.logon(server, { userId, stationId: station, occurredAt: '2024-03-01T07:00:00.000Z' });
    expect((await h.logoff(server, { userId, occurredAt: '2024-02-29T18:00:00.000Z' })).ended).toBe(false);
    expect((await h.statistic(server, CLIENT)).concurrentInUse).toBe(1);
  });

  it('ACD media levels warn and queue only the types the licence allows; IPA levels include the lower ones', async () => {
    const server = await h.serverWith({
      [CLIENT]: 5,
      I3_ACCESS_ACD_MEDIA_1: 5,
      I3_ACCESS_IPA_PROCESS_DESIGNER: 5,
      [BASIC]: 5,
    });
    const station = await h.createStation(server);
    const created = await h.gql<{ createCicUser: { id: string } }>(
      `mutation($input: CreateCicUserInput!) { createCicUser(input: $input) { id } }`,
      {
        input: {
          serverId: server.id,
          name: 'sam',
          allocationMethod: 'ASSIGNED',
          licenses: [CLIENT, 'I3_ACCESS_ACD_MEDIA_1', 'I3_ACCESS_IPA_PROCESS_DESIGNER'],
          queuedMediaTypes: ['Call', 'Chat', 'Email'],
        },
      },
    );
    const result = await h.logon(server, { userId: created.createCicUser.id, stationId: station });
    expect(result.queuedTypes).toEqual(['Call']);
    expect(result.warnings.join(' ')).toMatch(/Chat, Email/);
    expect(result.licenses).toEqual(
      expect.arrayContaining([
        'I3_ACCESS_IPA_DIRECT_ROUTED',
        'I3_ACCESS_IPA_GROUP_ROUTED',
        'I3_ACCESS_IPA_PROCESS_MONITOR',
        'I3_ACCESS_IPA_PROCESS_DESIGNER',
      ]),
    );
  });

  it('only the server’s machine credential reports logons for it', async () => {
    const server = await h.serverWith({ [`${CLIENT}_CONCURRENT`]: 5, [BASIC]: 5 });
    const other = await h.serverWith({ [`${CLIENT}_CONCURRENT`]: 5 });
    const station = await h.createStation(server);
    const userId = await h.createUser(server, [CLIENT]);
    const input = { serverId: server.id, userId, stationId: station, application: 'Interaction Connect' };
    const customer = await h.token(['CUSTOMER_ADMIN'], { accountId: server.accountId });
    expect((await h.code(LOGON, { input }, customer)).code).toBe('FORBIDDEN');
    expect((await h.code(LOGON, { input }, await h.machine(other.id))).code).toBe('FORBIDDEN');
    expect(
      (await h.code(LOGON, { input: { ...input, userId: 'nobody' } }, await h.machine(server.id))).code,
    ).toBe('NOT_FOUND');
    expect(
      (await h.code(LOGON, { input: { ...input, stationId: null } }, await h.machine(server.id))).code,
    ).toBe('BAD_USER_INPUT');
  });
});
