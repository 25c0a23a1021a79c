import { Topics } from '@lic/shared';
import { describeEachDatabase, eventually } from '@lic/testing';
import { GraphQLRequestError, Harness, type TestServer } from '../../test/harness.js';

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
const STEPS = 70;

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
  'LICENSE_FILE_SUPERSEDED',
]);

/**
 * Random sequences of what a pair's administrators and servers do (users and stations
 * configured through either member, user and station assignments changed and removed, deletions,
 * logons and logoffs on either member, switchovers, the file updated by its account (a new
 * revision with other quantities, reaching the pair through the event path), the current revision
 * loaded again on either member, an older revision tried again). After every step both members show
 * the same pools, every pool's count equals what the unit's users and stations are assigned and
 * hold, no pool took a licence above its total (a lowered total lets holders keep theirs, so a
 * count may only stay above it, never rise), the pools' totals are the current revision's, and
 * the standby runs no session.
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
      const fileId = `af-pair-${primary.id.slice(0, 8)}`;
      // The file's revisions as its account updates it: each with its own quantities.
      const revisions: Array<Record<string, number>> = [FILE];
      const file = (member: TestServer, revision = revisions.length) => {
        const other = member === primary ? backup : primary;
        return h.licenseFile(member, revisions[revision - 1]!, {
          fileId,
          revision,
          switchover: { hostId: '00-15-5D-01-02-09', machineName: other.name, serverItem: 'Basic Server' },
        });
      };
      const load = (member: TestServer, revision = revisions.length) =>
        h.gql(
          `mutation($id: ID!, $content: String!) { loadLicenseFile(serverId: $id, content: $content) { id } }`,
          {
            id: member.id,
            content: file(member, revision),
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
        async () => {
          const stationId = pick(stations);
          if (!stationId) return;
          await h.gql(
            `mutation($id: ID!, $licenses: [String!]!) {
              setStationLicenses(stationId: $id, licenses: $licenses) { id }
            }`,
            { id: stationId, licenses: pick([[BASIC], [BASIC, CLIENT], [CLIENT], [BASIC, TRACKER], []]) },
          );
        },
        async () => {
          // The account updates the file: a new revision, each total somewhere from 1 to one more
          // than the order's first file, reaching the pair at once through the event path.
          const next = Object.fromEntries(
            Object.entries(FILE).map(([key, quantity]) => [key, 1 + Math.floor(random() * (quantity + 1))]),
          );
          revisions.push(next);
          const revision = revisions.length;
          await h.publish(Topics.ActivationFileUpdated, {
            fileId,
            accountId: primary.accountId,
            revision,
            content: file(primary, revision),
            updatedAt: h.clock.now().toISOString(),
          });
          await eventually(async () => {
            const view = await h.gql<{ server: { license: { revision: number } | null } }>(
              `query($id: ID!) { server(id: $id) { license { revision } } }`,
              { id: primary.id },
            );
            return view.server.license?.revision === revision;
          });
        },
        async () => {
          // An older revision, tried again on either member: refused as superseded.
          if (revisions.length < 2) return;
          await load(pick(members)!, 1 + Math.floor(random() * (revisions.length - 1)));
        },
      ];
      // Logons and configuration are the common steps; switchovers, loads and updates the rare ones.
      const weights = [4, 2, 1, 2, 1, 6, 3, 1, 1, 2, 1, 1];
      const before = new Map<string, { assigned: number; concurrent: number }>();
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
          // Nothing is taken above a total: a count above it (the total was lowered) never rises.
          const was = before.get(line.key) ?? { assigned: 0, concurrent: 0 };
          expect({ context, key: line.key, assigned: line.assignableInUse }).toEqual({
            context,
            key: line.key,
            assigned: Math.min(
              line.assignableInUse,
              Math.max(line.assignableAllowed ?? Infinity, was.assigned),
            ),
          });
          expect({ context, key: line.key, concurrent: line.concurrentInUse }).toEqual({
            context,
            key: line.key,
            concurrent: Math.min(
              line.concurrentInUse,
              Math.max(line.concurrentAllowed ?? Infinity, was.concurrent),
            ),
          });
          before.set(line.key, { assigned: line.assignableInUse, concurrent: line.concurrentInUse });
          // The totals are the current revision's, the pair's once.
          const current = revisions[revisions.length - 1]!;
          expect({ context, key: line.key, allowed: line.assignableAllowed }).toEqual({
            context,
            key: line.key,
            allowed: current[line.key] ?? 0,
          });
        }
      }
    },
  );
});
