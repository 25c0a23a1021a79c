import { CALL_PORT_KEY, Topics } from '@lic/shared';
import { describeEachDatabase, eventually } from '@lic/testing';
import { Harness, LOGON, type TestServer } from '../../test/harness.js';

const CLIENT = 'I3_ACCESS_CLIENT';
const SUPERVISOR = 'I3_ACCESS_WORKGROUP_SUPERVISOR_PLUGIN';
const BASIC = 'I3_LICENSE_BASIC_STATION';
const OPEN = `mutation($s: ID!, $c: ID!) { openCall(serverId: $s, callId: $c) { accepted open limit } }`;
const CLOSE = `mutation($s: ID!, $c: ID!) { closeCall(serverId: $s, callId: $c) { open limit } }`;

interface CallStatus {
  accepted: boolean;
  open: number;
  limit: number | null;
}

/** docs/domain.md section 4's effects, as they reach allocation through enforcement.stage-changed. */
describeEachDatabase('enforcement effects and call ports', (database) => {
  let h: Harness;

  beforeAll(async () => {
    h = await Harness.start({ database });
  });
  afterAll(() => h.close());

  const stage = (server: TestServer, from: number, to: number, callPortLimit: number | null) =>
    h.enforcementStage(server, from, to, callPortLimit);

  const call = async (server: TestServer, callId: string): Promise<CallStatus> =>
    (await h.gql<{ openCall: CallStatus }>(OPEN, { s: server.id, c: callId }, await h.machine(server.id)))
      .openCall;

  it('stage 4 withholds supervisor licences (held ones released, new ones refused); stage 1 restores them', async () => {
    const server = await h.serverWith({
      [`${CLIENT}_CONCURRENT`]: 5,
      [`${SUPERVISOR}_CONCURRENT`]: 5,
      [SUPERVISOR]: 5,
      [BASIC]: 5,
    });
    const station = await h.createStation(server);
    const concurrent = await h.createUser(server, [CLIENT, SUPERVISOR], 'CONCURRENT');
    const before = await h.logon(server, { userId: concurrent, stationId: station });
    expect(before.acquired).toContain(`${SUPERVISOR}_CONCURRENT`);

    await stage(server, 3, 4, null);
    expect(await h.statistic(server, SUPERVISOR)).toMatchObject({
      concurrentInUse: 0,
      concurrentAllowed: 0,
      assignableAllowed: 0,
    });
    expect((await h.statistic(server, SUPERVISOR)).note).toMatch(/Withheld/);
    const user = await h.gql<{ cicUser: { held: string[]; capabilities: string[] } }>(
      `query($id: ID!) { cicUser(id: $id) { held capabilities } }`,
      { id: concurrent },
    );
    expect(user.cicUser.held).toEqual([`${CLIENT}_CONCURRENT`]);
    expect(user.cicUser.capabilities).not.toContain(SUPERVISOR);

    const other = await h.createUser(server, [CLIENT, SUPERVISOR], 'CONCURRENT');
    const during = await h.logon(server, { userId: other, stationId: station });
    expect(during.denied).toEqual([`${SUPERVISOR}_CONCURRENT`]);
    expect(during.warnings.join(' ')).toMatch(/disabled by virtual cloud enforcement/);
    const denials = await h.gql<{ licenseDenials: Array<{ reason: string }> }>(
      `query($id: ID!) { licenseDenials(serverId: $id, key: "${SUPERVISOR}") { reason } }`,
      { id: server.id },
    );
    expect(denials.licenseDenials.map((d) => d.reason)).toEqual(['SUPERVISOR_DISABLED']);

    await stage(server, 4, 1, null);
    expect(await h.statistic(server, SUPERVISOR)).toMatchObject({ concurrentAllowed: 5, note: null });
    const restored = await h.logon(server, {
      userId: other,
      stationId: station,
      application: 'Interaction Desktop',
    });
    expect(restored.acquired).toEqual([`${SUPERVISOR}_CONCURRENT`]);
  });

  it('call ports: bounded by the licensed number, lowered at stages 5 and 6, restored at stage 1', async () => {
    const server = await h.serverWith({ [CALL_PORT_KEY]: 20, [`${CLIENT}_CONCURRENT`]: 2, [BASIC]: 2 });
    for (let i = 0; i < 20; i += 1) expect((await call(server, `call-${i}`)).accepted).toBe(true);
    expect(await call(server, 'call-20')).toEqual({ accepted: false, open: 20, limit: 20 });
    // Opening the same call again changes nothing.
    expect(await call(server, 'call-0')).toEqual({ accepted: true, open: 20, limit: 20 });
    const closed = await h.gql<{ closeCall: CallStatus }>(
      CLOSE,
      { s: server.id, c: 'call-0' },
      await h.machine(server.id),
    );
    expect(closed.closeCall.open).toBe(19);

    // Stage 5: max(2, floor(20% of 20)) = 4 call ports; the open calls go on, no new one until under 4.
    await stage(server, 4, 5, 4);
    expect((await h.statistic(server, CALL_PORT_KEY)).note).toMatch(/limited to 4/);
    expect(await call(server, 'call-21')).toEqual({ accepted: false, open: 19, limit: 4 });
    for (let i = 1; i < 17; i += 1)
      await h.gql(CLOSE, { s: server.id, c: `call-${i}` }, await h.machine(server.id));
    expect(await call(server, 'call-22')).toEqual({ accepted: true, open: 4, limit: 4 });

    // Stage 6: unlicensed, two call ports and nothing else.
    await stage(server, 5, 6, 2);
    const station = await h.createStation(server, []);
    const userId = await h.createUser(server, [CLIENT]);
    const refused = await h.code(
      LOGON,
      { input: { serverId: server.id, userId, stationId: station, application: 'Interaction Connect' } },
      await h.machine(server.id),
    );
    expect(refused.code).toBe('CLIENT_ACCESS_UNAVAILABLE');
    expect((await h.statistic(server, CLIENT)).concurrentAllowed).toBe(0);
    expect((await call(server, 'call-23')).limit).toBe(2);

    await stage(server, 6, 1, null);
    expect((await call(server, 'call-24')).limit).toBe(20);
    expect((await h.logon(server, { userId, stationId: station })).acquired).toEqual([
      `${CLIENT}_CONCURRENT`,
    ]);
  });

  it('ignores a stage change older than the one applied', async () => {
    const server = await h.serverWith({ [`${SUPERVISOR}_CONCURRENT`]: 1 });
    await stage(server, 3, 4, null);
    const staleId = `stale-${database}`;
    await h.publish(
      Topics.StageChanged,
      {
        serverId: server.id,
        accountId: server.accountId,
        from: 2,
        to: 3,
        at: new Date(h.clock.now().getTime() - 60_000).toISOString(),
        supervisorEnabled: true,
        callPortLimit: null,
      },
      staleId,
    );
    await eventually(async () => {
      const rows = await h.main.db.read((m) =>
        m.query('SELECT event_id FROM processed_event WHERE event_id = ?', [staleId]),
      );
      return (rows as unknown[]).length === 1;
    });
    const data = await h.gql<{ server: { enforcementStage: number; supervisorEnabled: boolean } }>(
      `query($id: ID!) { server(id: $id) { enforcementStage supervisorEnabled } }`,
      { id: server.id },
    );
    expect(data.server).toEqual({ enforcementStage: 4, supervisorEnabled: false });
    expect((await h.statistic(server, SUPERVISOR)).concurrentAllowed).toBe(0);
  });
});
