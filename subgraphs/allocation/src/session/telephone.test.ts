import { Topics } from '@lic/shared';
import { describeEachDatabase } from '@lic/testing';
import { Harness, LOGON, type LogonData, type TestServer } from '../../test/harness.js';

const CLIENT = 'I3_ACCESS_CLIENT';
const ACD1 = 'I3_ACCESS_ACD_MEDIA_1';
const ACD2 = 'I3_ACCESS_ACD_MEDIA_2';
const BASIC = 'I3_LICENSE_BASIC_STATION';
const CONCURRENT = (key: string) => `${key}_CONCURRENT`;

/** Remote (static) stations and telephone-only ACD agents, on both engines. */
describeEachDatabase('remote stations and telephone-only logons', (database) => {
  let h: Harness;

  beforeAll(async () => {
    h = await Harness.start({ database });
  });
  afterAll(() => h.close());

  const refusal = async (server: TestServer, input: Record<string, unknown>) =>
    h.code(
      LOGON,
      { input: { serverId: server.id, application: 'Telephone', ...input } },
      await h.machine(server.id),
    );

  /** A logon as the harness sends it, with the telephone flag (events one second apart). */
  const logon = async (
    server: TestServer,
    input: { userId: string; stationId?: string; telephoneOnly?: boolean; application?: string },
  ): Promise<LogonData> => {
    h.clock.advance(1000);
    const data = await h.gql<{ logon: LogonData }>(
      LOGON,
      { input: { serverId: server.id, application: 'Interaction Connect', ...input } },
      await h.machine(server.id),
    );
    return data.logon;
  };

  describe('remote (static) station', () => {
    it('"If a user logs on to a remote station, that station also must acquire a Client Access license": refused when only the user holds it', async () => {
      const server = await h.serverWith({ [CLIENT]: 5, [BASIC]: 5 });
      const remote = await h.createStation(server, [BASIC], 'REMOTE');
      const userId = await h.createUser(server, [CLIENT], 'ASSIGNED');
      const refused = await refusal(server, { userId, stationId: remote });
      expect(refused).toMatchObject({
        code: 'CLIENT_ACCESS_UNAVAILABLE',
        extensions: expect.objectContaining({ key: CLIENT }),
      });
      expect(
        await h.gql<{ sessions: unknown[] }>(`query($id: ID!) { sessions(serverId: $id) { id } }`, {
          id: server.id,
        }),
      ).toEqual({
        sessions: [],
      });

      // The station gets its own client access (taken from the pool at assignment): the logon goes ahead.
      await h.gql(
        `mutation($id: ID!, $licenses: [String!]!) { setStationLicenses(stationId: $id, licenses: $licenses) { id } }`,
        { id: remote, licenses: [BASIC, CLIENT] },
      );
      expect((await h.statistic(server, CLIENT)).assignableInUse).toBe(2);
      const result = await logon(server, { userId, stationId: remote });
      expect(result.licenses).toEqual([CLIENT, BASIC].sort());
    });

    it('a concurrent user at a remote station without client access takes nothing', async () => {
      const server = await h.serverWith({ [CONCURRENT(CLIENT)]: 5, [BASIC]: 5 });
      const remote = await h.createStation(server, [BASIC], 'REMOTE');
      const userId = await h.createUser(server, [CLIENT], 'CONCURRENT');
      expect((await refusal(server, { userId, stationId: remote })).code).toBe('CLIENT_ACCESS_UNAVAILABLE');
      expect((await h.statistic(server, CLIENT)).concurrentInUse).toBe(0);
    });
  });

  describe('telephone-only ACD agents (part AL03: Basic Station + ACD Media 1)', () => {
    it('ACD access "allows workstations to monitor ACD queues for telephone calls only without the CIC client workstation software": a telephone logon needs no client access', async () => {
      const server = await h.serverWith({ [ACD1]: 1, [BASIC]: 1 });
      const station = await h.createStation(server, [BASIC]);
      const agent = await h.createUser(server, [ACD1], 'ASSIGNED');
      // Without saying it is a telephone logon, client access is still needed.
      expect((await refusal(server, { userId: agent, stationId: station })).code).toBe(
        'CLIENT_ACCESS_UNAVAILABLE',
      );
      const result = await logon(server, { userId: agent, stationId: station, telephoneOnly: true });
      expect(result.licenses).toEqual([ACD1, BASIC].sort());
      expect(result.acquired).toEqual([]);
      const [started] = (await h.events(Topics.SessionStarted)).slice(-1);
      expect(started?.payload).toMatchObject({ userId: agent, telephoneOnly: true });
    });

    it('a concurrent phone-only agent takes ACD Media 1 at logon, and is refused (nothing taken) when none is free', async () => {
      const server = await h.serverWith({ [CONCURRENT(ACD1)]: 1, [CONCURRENT(CLIENT)]: 5, [BASIC]: 2 });
      const stations = [await h.createStation(server, [BASIC]), await h.createStation(server, [BASIC])];
      const first = await h.createUser(server, [ACD1], 'CONCURRENT');
      const second = await h.createUser(server, [ACD1], 'CONCURRENT');
      const taken = await logon(server, { userId: first, stationId: stations[0], telephoneOnly: true });
      expect(taken.acquired).toEqual([CONCURRENT(ACD1)]);
      const refused = await refusal(server, { userId: second, stationId: stations[1], telephoneOnly: true });
      expect(refused).toMatchObject({
        code: 'CLIENT_ACCESS_UNAVAILABLE',
        extensions: expect.objectContaining({ key: ACD1 }),
      });
      expect((await h.statistic(server, ACD1)).concurrentInUse).toBe(1);
      expect((await h.statistic(server, ACD1)).denials).toBe(1);
      expect((await h.statistic(server, CLIENT)).concurrentInUse).toBe(0);
      await h.logoff(server, { userId: first, application: 'Interaction Connect' });
      expect((await h.statistic(server, ACD1)).concurrentInUse).toBe(0);
    });

    it('a telephone logon without ACD access from the user or the station is refused; the station may provide it', async () => {
      const server = await h.serverWith({ [ACD2]: 1, [CLIENT]: 1, [BASIC]: 2 });
      const plain = await h.createStation(server, [BASIC]);
      const acdStation = await h.createStation(server, [BASIC, ACD2]);
      const userId = await h.createUser(server, [CLIENT], 'ASSIGNED');
      const refused = await refusal(server, { userId, stationId: plain, telephoneOnly: true });
      expect(refused).toMatchObject({
        code: 'CLIENT_ACCESS_UNAVAILABLE',
        extensions: expect.objectContaining({ key: ACD1 }),
      });
      expect(refused.message).toMatch(/ACD/);
      const result = await logon(server, { userId, stationId: acdStation, telephoneOnly: true });
      expect(result.licenses).toContain(ACD2);
    });

    it('a concurrent user with client access configured does not take it for a telephone logon, but keeps one a client session holds', async () => {
      const server = await h.serverWith({ [CONCURRENT(ACD1)]: 5, [CONCURRENT(CLIENT)]: 5, [BASIC]: 1 });
      const station = await h.createStation(server, [BASIC]);
      const userId = await h.createUser(server, [CLIENT, ACD1], 'CONCURRENT');
      const phone = await logon(server, {
        userId,
        stationId: station,
        telephoneOnly: true,
        application: 'Telephone',
      });
      expect(phone.acquired).toEqual([CONCURRENT(ACD1)]);
      expect((await h.statistic(server, CLIENT)).concurrentInUse).toBe(0);
      // A client application at the same station then takes client access ...
      const client = await logon(server, { userId, stationId: station, application: 'Interaction Connect' });
      expect(client.acquired).toEqual([CONCURRENT(CLIENT)]);
      // ... and another telephone session does not give it back while the client session runs.
      const again = await logon(server, {
        userId,
        stationId: station,
        telephoneOnly: true,
        application: 'Telephone 2',
      });
      expect(again.released).toEqual([]);
      expect((await h.statistic(server, CLIENT)).concurrentInUse).toBe(1);
    });
  });
});
