import { describeEachDatabase } from '@lic/testing';
import { type GraphQLRequestError, Harness, type TestServer } from '../../test/harness.js';

const CLIENT = 'I3_ACCESS_CLIENT';
const TRACKER = 'I3_ACCESS_TRACKER';
const BASIC = 'I3_LICENSE_BASIC_STATION';

const SET_STATION_LICENSES = `mutation($id: ID!, $licenses: [String!]!, $enabled: Boolean) {
  setStationLicenses(stationId: $id, licenses: $licenses, enabled: $enabled) { id licenses enabled }
}`;
const DELETE_STATION = `mutation($id: ID!) { deleteStation(id: $id) }`;
const STATIONS = `query($id: ID!) { stations(serverId: $id) { id name licenses } }`;

/*
 * The reference: "the station acquires the license immediately ... Removing the license from the
 * station or deleting the station releases the acquired Assignable license". Stations take
 * ASSIGNED licences exactly as users do: at the moment of assignment, refused when exhausted.
 */
describeEachDatabase('station licences acquire and release as user licences do', (database) => {
  let h: Harness;

  beforeAll(async () => {
    h = await Harness.start({ database });
  });
  afterAll(() => h.close());

  const setLicenses = (stationId: string, licenses: string[]) =>
    h.gql<{ setStationLicenses: { id: string; licenses: string[] } }>(SET_STATION_LICENSES, {
      id: stationId,
      licenses,
    });
  const inUse = async (server: TestServer, key: string) => (await h.statistic(server, key)).assignableInUse;
  const stationsOf = async (server: TestServer) =>
    (await h.gql<{ stations: Array<{ id: string; licenses: string[] }> }>(STATIONS, { id: server.id }))
      .stations;

  it('"the station acquires the license immediately": setStationLicenses takes from the pool, refused when exhausted with nothing written', async () => {
    const server = await h.serverWith({ [CLIENT]: 1, [BASIC]: 3 });
    const stations = [
      await h.createStation(server),
      await h.createStation(server),
      await h.createStation(server),
    ];
    expect(await inUse(server, BASIC)).toBe(3);
    expect(await inUse(server, CLIENT)).toBe(0);

    await setLicenses(stations[0]!, [BASIC, CLIENT]);
    expect(await inUse(server, CLIENT)).toBe(1);

    for (const station of stations.slice(1)) {
      const refused = await h.code(SET_STATION_LICENSES, { id: station, licenses: [BASIC, CLIENT] });
      expect(refused).toMatchObject({
        code: 'LICENSE_EXHAUSTED',
        extensions: expect.objectContaining({ key: CLIENT }),
      });
    }
    // Nothing written: the refused stations keep what they had, and the pool holds one.
    const after = await stationsOf(server);
    expect(after.filter((s) => s.licenses.includes(CLIENT)).map((s) => s.id)).toEqual([stations[0]]);
    expect(await h.statistic(server, CLIENT)).toMatchObject({
      assignableInUse: 1,
      assignableConfigured: 1,
      denials: 2,
    });
    expect(await inUse(server, BASIC)).toBe(3);
  });

  it('"Removing the license from the station ... releases the acquired Assignable license": remove and swap move the pools', async () => {
    const server = await h.serverWith({ [CLIENT]: 1, [TRACKER]: 1, [BASIC]: 2 });
    const first = await h.createStation(server, [BASIC, CLIENT]);
    const second = await h.createStation(server, [BASIC]);
    expect(await inUse(server, CLIENT)).toBe(1);

    // Removing gives it back: another station can have it.
    await setLicenses(first, [BASIC]);
    expect(await inUse(server, CLIENT)).toBe(0);
    await setLicenses(second, [BASIC, CLIENT]);
    expect(await inUse(server, CLIENT)).toBe(1);

    // A swap releases one and takes the other in the same change.
    await setLicenses(second, [BASIC, TRACKER]);
    expect(await inUse(server, CLIENT)).toBe(0);
    expect(await inUse(server, TRACKER)).toBe(1);
    // A swap into an exhausted pool is refused as a whole: the station keeps what it had.
    expect((await h.code(SET_STATION_LICENSES, { id: first, licenses: [BASIC, TRACKER] })).code).toBe(
      'LICENSE_EXHAUSTED',
    );
    expect(await inUse(server, TRACKER)).toBe(1);
    // Setting the same list again changes nothing.
    await setLicenses(second, [BASIC, TRACKER]);
    expect(await h.statistic(server, TRACKER)).toMatchObject({ assignableInUse: 1, assignableConfigured: 1 });
    expect(await inUse(server, BASIC)).toBe(2);
  });

  it('"... or deleting the station releases the acquired Assignable license"; creating is refused when exhausted', async () => {
    const server = await h.serverWith({ [CLIENT]: 1, [BASIC]: 5 });
    const holder = await h.createStation(server, [BASIC, CLIENT]);
    const refused = await h.code(
      `mutation($input: CreateStationInput!) { createStation(input: $input) { id } }`,
      { input: { serverId: server.id, name: 'second', kind: 'WORKSTATION', licenses: [BASIC, CLIENT] } },
    );
    expect(refused.code).toBe('LICENSE_EXHAUSTED');
    expect((await stationsOf(server)).map((s) => s.id)).toEqual([holder]);
    expect(await inUse(server, BASIC)).toBe(1);

    expect(await h.gql(DELETE_STATION, { id: holder })).toEqual({ deleteStation: true });
    expect(await inUse(server, CLIENT)).toBe(0);
    expect(await inUse(server, BASIC)).toBe(0);
    await h.createStation(server, [BASIC, CLIENT]);
    expect(await inUse(server, CLIENT)).toBe(1);
  });

  it('deleting a station (or changing it) at the same time, many times over, gives its licence back once', async () => {
    const server = await h.serverWith({ [CLIENT]: 2, [BASIC]: 5 });
    const doomed = await h.createStation(server, [BASIC, CLIENT]);
    await h.createStation(server, [BASIC, CLIENT]);
    const outcomes = await Promise.allSettled([
      ...Array.from({ length: 6 }, () => h.gql(DELETE_STATION, { id: doomed })),
      ...Array.from({ length: 4 }, () => setLicenses(doomed, [BASIC])),
    ]);
    expect(outcomes.filter((o) => o.status === 'fulfilled' && 'deleteStation' in o.value)).toHaveLength(1);
    expect((await stationsOf(server)).map((s) => s.id)).not.toContain(doomed);
    // The other station still holds its licence: one of two in use, and only one more can be had.
    expect(await inUse(server, CLIENT)).toBe(1);
    expect(await inUse(server, BASIC)).toBe(1);
    await h.createStation(server, [BASIC, CLIENT]);
    expect(
      (await h.code(SET_STATION_LICENSES, { id: await h.createStation(server), licenses: [BASIC, CLIENT] }))
        .code,
    ).toBe('LICENSE_EXHAUSTED');
  });

  it('30 concurrent setStationLicenses on 30 stations against 5 licences take exactly 5', async () => {
    const server = await h.serverWith({ [CLIENT]: 5, [BASIC]: 30 });
    const stations = await Promise.all(
      Array.from({ length: 30 }, (_, i) => h.createStation(server, [BASIC], 'WORKSTATION', `ws-${i}`)),
    );
    const results = await Promise.allSettled(stations.map((id) => setLicenses(id, [BASIC, CLIENT])));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    expect(await h.statistic(server, CLIENT)).toMatchObject({ assignableInUse: 5, assignableConfigured: 5 });
    expect((await stationsOf(server)).filter((s) => s.licenses.includes(CLIENT))).toHaveLength(5);

    // And all of them given back, at once.
    await Promise.all(stations.map((id) => setLicenses(id, [BASIC])));
    expect(await h.statistic(server, CLIENT)).toMatchObject({ assignableInUse: 0, assignableConfigured: 0 });
  });
});

describe('station licences across two allocation processes [mariadb]', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await Harness.start({ database: 'mariadb', instances: 2 });
  });
  afterAll(() => h.close());

  it('30 concurrent setStationLicenses split over both processes against 5 licences take exactly 5', async () => {
    const server = await h.serverWith({ [CLIENT]: 5, [BASIC]: 30 });
    const stations = await Promise.all(
      Array.from({ length: 30 }, (_, i) => h.createStation(server, [BASIC], 'WORKSTATION', `ws-${i}`)),
    );
    const urls = h.instances.map((i) => i.url);
    const results = await Promise.allSettled(
      stations.map((id, i) =>
        h.gql(SET_STATION_LICENSES, { id, licenses: [BASIC, CLIENT] }, h.admin, urls[i % urls.length]),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    const codes = refused.map((r) => (r.reason as GraphQLRequestError).failure.code);
    expect([...new Set(codes)]).toEqual(['LICENSE_EXHAUSTED']);
    expect(await h.statistic(server, CLIENT)).toMatchObject({ assignableInUse: 5, assignableConfigured: 5 });
  });
});
