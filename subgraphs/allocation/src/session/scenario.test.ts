import { describeEachDatabase } from '@lic/testing';
import { Harness } from '../../test/harness.js';

const TRACKER = 'I3_ACCESS_TRACKER';
const CLIENT = 'I3_ACCESS_CLIENT';

/** docs/domain.md section 2's worked example ("License allocation scenario"): 50 Interaction Tracker licences. */
describeEachDatabase('the 50 Tracker licences scenario', (database) => {
  let h: Harness;

  beforeAll(async () => {
    h = await Harness.start({ database });
  });
  afterAll(() => h.close());

  it('assigned: only 50 users can be assigned Tracker; the 51st assignment is refused', async () => {
    const server = await h.serverWith({ [TRACKER]: 50, [CLIENT]: 60, I3_LICENSE_BASIC_STATION: 60 });
    for (let i = 0; i < 50; i += 1) await h.createUser(server, [CLIENT, TRACKER], 'ASSIGNED', `agent-${i}`);

    const refused = await h.code(
      `mutation($input: CreateCicUserInput!) { createCicUser(input: $input) { id } }`,
      {
        input: {
          serverId: server.id,
          name: 'agent-50',
          allocationMethod: 'ASSIGNED',
          licenses: [CLIENT, TRACKER],
        },
      },
    );
    expect(refused.code).toBe('LICENSE_EXHAUSTED');
    expect(refused.extensions['key']).toBe(TRACKER);

    const tracker = await h.statistic(server, TRACKER);
    expect(tracker).toMatchObject({
      assignableAllowed: 50,
      assignableConfigured: 50,
      assignableInUse: 50,
      available: 0,
      denials: 1,
    });
    // Nothing half-written: the refused user does not exist and took no client access either.
    expect((await h.statistic(server, CLIENT)).assignableConfigured).toBe(50);
    const users = await h.gql<{ cicUsers: Array<{ name: string }> }>(
      `query($id: ID!) { cicUsers(serverId: $id) { name } }`,
      {
        id: server.id,
      },
    );
    expect(users.cicUsers.map((u) => u.name)).not.toContain('agent-50');
  });

  it('concurrent: 80 users configured, 50 log on, the 51st gets no Tracker licence until one logs off', async () => {
    const server = await h.serverWith({
      [`${TRACKER}_CONCURRENT`]: 50,
      [`${CLIENT}_CONCURRENT`]: 100,
      I3_LICENSE_BASIC_STATION: 100,
    });
    const users: string[] = [];
    for (let i = 0; i < 80; i += 1)
      users.push(await h.createUser(server, [CLIENT, TRACKER], 'CONCURRENT', `agent-${i}`));
    let tracker = await h.statistic(server, TRACKER);
    expect(tracker).toMatchObject({
      concurrentAllowed: 50,
      concurrentConfigured: 80,
      concurrentInUse: 0,
      available: 50,
    });

    const stations: string[] = [];
    for (let i = 0; i < 52; i += 1)
      stations.push(await h.createStation(server, ['I3_LICENSE_BASIC_STATION'], 'WORKSTATION', `ws-${i}`));
    for (let i = 0; i < 50; i += 1) {
      const result = await h.logon(server, { userId: users[i]!, stationId: stations[i]! });
      expect(result.acquired).toEqual([`${CLIENT}_CONCURRENT`, `${TRACKER}_CONCURRENT`]);
    }
    tracker = await h.statistic(server, TRACKER);
    expect(tracker).toMatchObject({ concurrentInUse: 50, available: 0, peakInUse: 50 });

    const fiftyFirst = await h.logon(server, { userId: users[50]!, stationId: stations[50]! });
    expect(fiftyFirst.acquired).toEqual([`${CLIENT}_CONCURRENT`]);
    expect(fiftyFirst.denied).toEqual([`${TRACKER}_CONCURRENT`]);
    expect(fiftyFirst.licenses).not.toContain(TRACKER);
    expect(fiftyFirst.warnings.join(' ')).toContain(`${TRACKER}_CONCURRENT`);
    expect(await h.statistic(server, TRACKER)).toMatchObject({ concurrentInUse: 50, denials: 1 });

    await h.logoff(server, { userId: users[0]! });
    expect((await h.statistic(server, TRACKER)).concurrentInUse).toBe(49);

    // Logging on again (another application) retries what was left out; the pool now has room.
    const retry = await h.logon(server, {
      userId: users[50]!,
      stationId: stations[50]!,
      application: 'Interaction Desktop',
    });
    expect(retry.acquired).toEqual([`${TRACKER}_CONCURRENT`]);
    expect(retry.reused).toEqual([`${CLIENT}_CONCURRENT`]);
    expect(await h.statistic(server, TRACKER)).toMatchObject({
      concurrentInUse: 50,
      concurrentConfigured: 80,
    });
  });
});
