import { describeEachDatabase } from '@lic/shared/testing';
import { GraphQLRequestError, Harness, type TestServer } from '../testing/harness.js';

const CLIENT = 'I3_ACCESS_CLIENT';
const TRACKER = 'I3_ACCESS_TRACKER';
const BASIC = 'I3_LICENSE_BASIC_STATION';
const FILE = {
  [CLIENT]: 4,
  [`${CLIENT}_CONCURRENT`]: 3,
  [TRACKER]: 2,
  [`${TRACKER}_CONCURRENT`]: 2,
  [BASIC]: 4,
};
const STEPS = 60;

/** A small seeded generator (mulberry32): a failing sequence can be replayed from its seed. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface UnitView {
  server: {
    standby: boolean;
    users: Array<{ id: string; allocationMethod: string; licenses: string[]; held: string[] }>;
    stations: Array<{ id: string; licenses: string[] }>;
    statistics: Array<{
      key: string;
      assignableAllowed: number | null;
      assignableInUse: number;
      concurrentAllowed: number | null;
      concurrentInUse: number;
    }>;
  };
  sessions: Array<{ id: string }>;
}

const VIEW = `query($id: ID!) {
  server(id: $id) {
    standby
    users { id allocationMethod licenses held }
    stations { id licenses }
    statistics { key assignableAllowed assignableInUse concurrentAllowed concurrentInUse }
  }
  sessions(serverId: $id, activeOnly: true) { id }
}`;

/** Refusals a rule may answer with; anything else fails the run. */
const EXPECTED_REFUSALS = new Set([
  'LICENSE_EXHAUSTED',
  'CLIENT_ACCESS_UNAVAILABLE',
  'SERVER_STANDBY',
  'BAD_USER_INPUT',
]);

/**
 * Random sequences of what a pair's administrators and servers do (users and stations
 * configured through either member, assignments changed and removed, deletions, logons and
 * logoffs on either member, switchovers, the file loaded again on either member). After every
 * step both members show the same pools, every pool's count equals what the unit's users and
 * stations are assigned and hold, no pool is above its total, and the standby runs no session.
 */
describeEachDatabase('a switchover pair under random operations', (database) => {
  let h: Harness;

  beforeAll(async () => {
    h = await Harness.start({ database });
  });
  afterAll(() => h.close());

  it.each([1, 2])(
    'seed %i: counts follow the configuration, within the totals, the pair’s once',
    async (seed) => {
      const random = generator(seed);
      const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(random() * items.length)];
      const primary = await h.registerServer();
      const backup = await h.registerServer(`${primary.name}-b`, {
        accountId: primary.accountId,
        installSiteId: primary.installSiteId,
        switchoverPartnerId: primary.id,
      });
      const members: TestServer[] = [primary, backup];
      const file = (member: TestServer) => {
        const other = member === primary ? backup : primary;
        return h.licenseFile(member, FILE, {
          fileId: `af-pair-${primary.id.slice(0, 8)}`,
          switchover: { hostId: '00-15-5D-01-02-09', machineName: other.name, serverItem: 'Basic Server' },
        });
      };
      const load = (member: TestServer) =>
        h.gql(
          `mutation($id: ID!, $content: String!) { loadLicenseFile(serverId: $id, content: $content) { id } }`,
          {
            id: member.id,
            content: file(member),
          },
        );
      await load(primary);
      const users: string[] = [];
      const stations: string[] = [];
      let startedAt = h.clock.now().getTime();

      const operations: Array<() => Promise<unknown>> = [
        async () => {
          const assigned = random() < 0.5;
          const licenses = random() < 0.5 ? [CLIENT] : [CLIENT, TRACKER];
          users.push(await h.createUser(pick(members)!, licenses, assigned ? 'ASSIGNED' : 'CONCURRENT'));
        },
        async () => {
          const userId = pick(users);
          if (!userId) return;
          await h.gql(
            `mutation($id: ID!, $licenses: [String!]!, $method: AllocationMethod) {
            setUserLicenses(userId: $id, licenses: $licenses, allocationMethod: $method) { id }
          }`,
            {
              id: userId,
              licenses: pick([[], [CLIENT], [CLIENT, TRACKER], [TRACKER]]),
              method: pick(['ASSIGNED', 'CONCURRENT', null]),
            },
          );
        },
        async () => {
          const userId = pick(users);
          if (!userId) return;
          await h.gql(`mutation($id: ID!) { deleteCicUser(id: $id) }`, { id: userId });
          users.splice(users.indexOf(userId), 1);
        },
        async () => {
          stations.push(await h.createStation(pick(members)!, random() < 0.7 ? [BASIC] : [BASIC, CLIENT]));
        },
        async () => {
          const stationId = pick(stations);
          if (!stationId) return;
          await h.gql(`mutation($id: ID!) { deleteStation(id: $id) }`, { id: stationId });
          stations.splice(stations.indexOf(stationId), 1);
        },
        async () => {
          const [userId, stationId] = [pick(users), pick(stations)];
          if (!userId || !stationId) return;
          startedAt += 1000;
          h.clock.set(new Date(startedAt));
          await h.logon(pick(members)!, {
            userId,
            stationId,
            application: pick(['Interaction Connect', 'Interaction Desktop'])!,
            occurredAt: new Date(startedAt).toISOString(),
          });
        },
        async () => {
          const userId = pick(users);
          if (!userId) return;
          startedAt += 1000;
          h.clock.set(new Date(startedAt));
          await h.logoff(pick(members)!, {
            userId,
            application: pick(['Interaction Connect', 'Interaction Desktop'])!,
            occurredAt: new Date(startedAt).toISOString(),
          });
        },
        async () => {
          const member = pick(members)!;
          startedAt += 1000;
          h.clock.set(new Date(startedAt));
          await h.gql(
            `mutation($id: ID!, $at: DateTime) { reportServerStarted(serverId: $id, switchover: true, occurredAt: $at) { id } }`,
            { id: member.id, at: new Date(startedAt).toISOString() },
            await h.machine(member.id),
          );
        },
        () => load(pick(members)!),
      ];
      // Logons and configuration are the common steps; switchovers and loads the rare ones.
      const weights = [4, 2, 1, 2, 1, 6, 3, 1, 1];
      const total = weights.reduce((a, b) => a + b, 0);

      for (let step = 0; step < STEPS; step += 1) {
        let r = random() * total;
        const index = weights.findIndex((w) => (r -= w) < 0);
        try {
          await operations[index]!();
        } catch (error) {
          if (!(error instanceof GraphQLRequestError) || !EXPECTED_REFUSALS.has(error.failure.code))
            throw error;
        }

        const [a, b] = await Promise.all(members.map((m) => h.gql<UnitView>(VIEW, { id: m.id })));
        const context = `seed ${seed}, step ${step} (operation ${index})`;
        expect({ context, statistics: b!.server.statistics }).toEqual({
          context,
          statistics: a!.server.statistics,
        });
        expect({ context, users: b!.server.users }).toEqual({ context, users: a!.server.users });
        expect([a!.server.standby, b!.server.standby].filter(Boolean)).toHaveLength(1);
        const standby = a!.server.standby ? a! : b!;
        expect({ context, sessions: standby.sessions }).toEqual({ context, sessions: [] });

        const expected = new Map<string, number>();
        const count = (key: string) => expected.set(key, (expected.get(key) ?? 0) + 1);
        for (const user of a!.server.users) {
          if (user.allocationMethod === 'ASSIGNED') user.licenses.forEach(count);
          user.held.forEach(count);
        }
        for (const station of a!.server.stations) station.licenses.forEach(count);
        for (const line of a!.server.statistics) {
          const counts = {
            context,
            key: line.key,
            assigned: line.assignableInUse,
            concurrent: line.concurrentInUse,
          };
          expect(counts).toEqual({
            context,
            key: line.key,
            assigned: expected.get(line.key) ?? 0,
            concurrent: expected.get(`${line.key}_CONCURRENT`) ?? 0,
          });
          expect(line.assignableInUse).toBeLessThanOrEqual(line.assignableAllowed ?? Infinity);
          expect(line.concurrentInUse).toBeLessThanOrEqual(line.concurrentAllowed ?? Infinity);
        }
      }
    },
  );
});
