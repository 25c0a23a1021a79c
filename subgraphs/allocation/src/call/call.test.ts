import { CALL_PORT_KEY, Topics } from '@lic/shared';
import { describeEachDatabase } from '@lic/testing';
import { Harness, type TestServer } from '../../test/harness.js';

const OPEN = `mutation($s: ID!, $c: ID!) { openCall(serverId: $s, callId: $c) { accepted open limit } }`;
const CLOSE = `mutation($s: ID!, $c: ID!) { closeCall(serverId: $s, callId: $c) { accepted open limit } }`;

interface CallStatus {
  accepted: boolean;
  open: number;
  limit: number | null;
}

/*
 * Call ports: "the server's licensed call ports bound the calls open at once, for PERPETUAL and
 * SUBSCRIPTION files alike; enforcement can lower the bound" (stage 5: max(2, floor(20% of the
 * licensed number)); stage 6: 2).
 */
describeEachDatabase('call ports', (database) => {
  let h: Harness;

  beforeAll(async () => {
    h = await Harness.start({ database });
  });
  afterAll(() => h.close());

  const open = async (server: TestServer, callId: string): Promise<CallStatus> =>
    (await h.gql<{ openCall: CallStatus }>(OPEN, { s: server.id, c: callId }, await h.machine(server.id)))
      .openCall;
  const close = async (server: TestServer, callId: string): Promise<CallStatus> =>
    (await h.gql<{ closeCall: CallStatus }>(CLOSE, { s: server.id, c: callId }, await h.machine(server.id)))
      .closeCall;

  const stage = (server: TestServer, from: number, to: number, callPortLimit: number | null) =>
    h.enforcementStage(server, from, to, callPortLimit);

  it('"the server\'s licensed call ports bound the calls open at once, for PERPETUAL and SUBSCRIPTION files alike"', async () => {
    const server = await h.serverWith({ [CALL_PORT_KEY]: 3 }, { licenseModel: 'SUBSCRIPTION' });
    for (let i = 0; i < 3; i += 1) expect((await open(server, `call-${i}`)).accepted).toBe(true);
    expect(await open(server, 'call-3')).toEqual({ accepted: false, open: 3, limit: 3 });
    expect(await h.statistic(server, CALL_PORT_KEY)).toMatchObject({ assignableInUse: 3, denials: 1 });
    expect((await close(server, 'call-0')).open).toBe(2);
    expect(await open(server, 'call-3')).toEqual({ accepted: true, open: 3, limit: 3 });
  });

  it('a refused call holds no port: closing it gives nothing back, and opening it again is decided again', async () => {
    const server = await h.serverWith({ [CALL_PORT_KEY]: 1 });
    expect((await open(server, 'held')).accepted).toBe(true);
    expect(await open(server, 'refused')).toEqual({ accepted: false, open: 1, limit: 1 });
    // Closing the refused call must not free the port the other call holds.
    expect(await close(server, 'refused')).toEqual({ accepted: false, open: 1, limit: 1 });
    expect(await open(server, 'third')).toEqual({ accepted: false, open: 1, limit: 1 });
    expect(await open(server, 'refused')).toEqual({ accepted: false, open: 1, limit: 1 });
    // Closing a call twice gives its port back once.
    expect((await close(server, 'held')).open).toBe(0);
    expect((await close(server, 'held')).open).toBe(0);
    expect(await open(server, 'third')).toEqual({ accepted: true, open: 1, limit: 1 });
    expect(await open(server, 'fourth')).toEqual({ accepted: false, open: 1, limit: 1 });
  });

  it('the same call opened many times at once holds one port', async () => {
    const server = await h.serverWith({ [CALL_PORT_KEY]: 5 });
    const results = await Promise.all(Array.from({ length: 8 }, () => open(server, 'same')));
    expect(results.every((r) => r.accepted)).toBe(true);
    expect((await h.statistic(server, CALL_PORT_KEY)).assignableInUse).toBe(1);
    expect((await close(server, 'same')).open).toBe(0);
  });

  it('a subscription file without call ports admits no call; an account cap can only lower the licensed number', async () => {
    const none = await h.serverWith({ I3_ACCESS_CLIENT: 5 }, { licenseModel: 'SUBSCRIPTION' });
    expect((await open(none, 'call-a')).accepted).toBe(false);

    const capped = await h.serverWith({ [CALL_PORT_KEY]: 4 }, { licenseModel: 'SUBSCRIPTION' });
    const setCap = `mutation($a: ID!, $k: String!, $c: Int) { setAccountLicenseCap(accountId: $a, key: $k, cap: $c) { cap } }`;
    await h.gql(setCap, { a: capped.accountId, k: CALL_PORT_KEY, c: 10 });
    expect((await open(capped, 'call-b')).limit).toBe(4);
    await h.gql(setCap, { a: capped.accountId, k: CALL_PORT_KEY, c: 1 });
    expect((await open(capped, 'call-c')).limit).toBe(1);
  });

  it("enforcement lowers a subscription server's bound from the licensed number (stage 5: max(2, floor(20%)), stage 6: 2) and stage 1 restores it", async () => {
    const server = await h.serverWith(
      { [CALL_PORT_KEY]: 20, I3_FEATURE_VIRTUAL_CLOUD: 1 },
      {
        licenseModel: 'SUBSCRIPTION',
        virtualCloud: { rampDate: new Date('2024-06-01T00:00:00.000Z'), gracePeriodDays: 7 },
      },
    );
    // Enforcement computes its stage-5 limit from the number the loaded file licenses, whatever the model.
    const loaded = (await h.events(Topics.LicenseFileLoaded)).find(
      (e) => e.payload['serverId'] === server.id,
    );
    expect(loaded?.payload).toMatchObject({ licenseModel: 'SUBSCRIPTION', callPorts: 20 });
    expect((await open(server, 'call-0')).limit).toBe(20);

    await stage(server, 4, 5, 4);
    expect((await open(server, 'call-1')).limit).toBe(4);
    await stage(server, 5, 6, 2);
    expect(await open(server, 'call-2')).toEqual({ accepted: false, open: 2, limit: 2 });
    await stage(server, 6, 1, null);
    expect(await open(server, 'call-2')).toEqual({ accepted: true, open: 3, limit: 20 });
  });
});
