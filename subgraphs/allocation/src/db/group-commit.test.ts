import { Harness, LOGON } from '../../test/harness.js';

const CLIENT = 'I3_ACCESS_CLIENT';
const TRACKER = 'I3_ACCESS_TRACKER';
const BASIC = 'I3_LICENSE_BASIC_STATION';

/** Group commit exists on MariaDB only (SQLite has one writer and commits each logon alone). */
describe('group commit of logons and logoffs [mariadb]', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await Harness.start({ database: 'mariadb' });
  });
  afterAll(() => h.close());

  const counts = () => ({ ...h.instances[0]!.db.group!.counts });

  describe('members', () => {
    const group = () => h.instances[0]!.db.group!;
    const query = (sql: string, params: unknown[] = []) => h.instances[0]!.db.dataSource.query(sql, params);
    const member = (statements: string[], params: unknown[] = []) =>
      group().submit({
        statements,
        params,
        decide: {
          guarded: statements.some((s) => s.startsWith('SET @allocation_ok')),
          takes: false,
          args: [0, 'no-server', '', 'claim'],
        },
      });
    const probe = async () =>
      ((await query('SELECT id FROM group_commit_probe ORDER BY id')) as Array<{ id: number }>).map(
        (r) => r.id,
      );

    beforeAll(() => query('CREATE TABLE group_commit_probe (id INT PRIMARY KEY, v INT NOT NULL DEFAULT 0)'));
    beforeEach(() => query('DELETE FROM group_commit_probe'));

    it('a member whose guarded write missed its row goes back to its savepoint; the others commit', async () => {
      const guard = 'SET @allocation_ok = (ROW_COUNT() = 1)';
      const outcomes = await Promise.all([
        member(['INSERT INTO group_commit_probe (id) VALUES (1)']),
        member([
          'INSERT INTO group_commit_probe (id) VALUES (2)',
          'UPDATE group_commit_probe SET v = 1 WHERE id = 99',
          guard,
        ]),
        member(['INSERT INTO group_commit_probe (id) VALUES (3)']),
      ]);
      expect(outcomes).toEqual([
        { committed: true, missed: [], stale: false },
        { committed: false, missed: [], stale: true },
        { committed: true, missed: [], stale: false },
      ]);
      expect(await probe()).toEqual([1, 3]);
    });

    it('a statement that fails rolls the whole group back and sends every member alone', async () => {
      const before = counts();
      const outcomes = await Promise.all([
        member(['INSERT INTO group_commit_probe (id) VALUES (1)']),
        member(['INSERT INTO group_commit_probe (id) VALUES (1)']),
        member(['INSERT INTO group_commit_probe (id) VALUES (3)']),
      ]);
      expect(outcomes).toEqual(['alone', 'alone', 'alone']);
      expect(counts().alone - before.alone).toBe(3);
      expect(await probe()).toEqual([]);
    });

    it("a lone member's failure is its own error", async () => {
      await query('INSERT INTO group_commit_probe (id) VALUES (1)');
      await expect(member(['INSERT INTO group_commit_probe (id) VALUES (1)'])).rejects.toThrow(
        /Duplicate entry/,
      );
      expect(await probe()).toEqual([1]);
    });
  });

  it('commits logons arriving together in shared transactions, each with the outcome it would have had alone', async () => {
    const server = await h.serverWith({
      [`${CLIENT}_CONCURRENT`]: 40,
      [`${TRACKER}_CONCURRENT`]: 12,
      [BASIC]: 40,
    });
    const seats = await Promise.all(
      Array.from({ length: 30 }, async () => ({
        userId: await h.createUser(server, [CLIENT, TRACKER]),
        stationId: await h.createStation(server),
      })),
    );
    const before = counts();
    const logons = await Promise.all(seats.map((seat) => h.logon(server, seat)));
    const after = counts();
    // Every logon was a member at least once (a logon that found its pool taken plans again).
    const members = after.members - before.members;
    expect(members).toBeGreaterThanOrEqual(30);
    // Fewer transactions than members: they shared.
    expect(after.groups - before.groups).toBeLessThan(members);
    // The pool decided member by member: exactly its 12 Tracker licences, the rest partial denials.
    const withTracker = logons.filter((l) => l.acquired.includes(`${TRACKER}_CONCURRENT`));
    expect(withTracker).toHaveLength(12);
    expect(logons.filter((l) => l.denied.includes(`${TRACKER}_CONCURRENT`))).toHaveLength(18);
    expect(logons.every((l) => l.acquired.includes(`${CLIENT}_CONCURRENT`))).toBe(true);
    const tracker = await h.statistic(server, TRACKER);
    expect(tracker).toMatchObject({ concurrentInUse: 12, peakInUse: 12, denials: 18 });

    await Promise.all(seats.map((seat) => h.logoff(server, { userId: seat.userId })));
    expect((await h.statistic(server, TRACKER)).concurrentInUse).toBe(0);
    expect((await h.statistic(server, CLIENT)).concurrentInUse).toBe(0);
  });

  it('reads events arriving together in shared round trips, each event with its own server, user and station', async () => {
    const [a, b] = [
      await h.serverWith({ [`${CLIENT}_CONCURRENT`]: 20, [BASIC]: 20 }),
      await h.serverWith({ [`${CLIENT}_CONCURRENT`]: 20, [BASIC]: 20 }),
    ];
    const usersOfA = await Promise.all(Array.from({ length: 8 }, () => h.createUser(a, [CLIENT])));
    const stationsOfA = await Promise.all(usersOfA.map(() => h.createStation(a)));
    const userOfB = await h.createUser(b, [CLIENT]);
    const stationOfB = await h.createStation(b);
    const code = async (server: typeof a, input: Record<string, unknown>) =>
      (
        await h.code(
          LOGON,
          { input: { serverId: server.id, application: 'Interaction Connect', ...input } },
          await h.machine(server.id),
        )
      ).code;
    const { result, sql } = await h.instances[0]!.database.statements.measure(() =>
      Promise.all([
        ...usersOfA.map((userId, i) => h.logon(a, { userId, stationId: stationsOfA[i]! })),
        h.logon(b, { userId: userOfB, stationId: stationOfB }),
        // In the same groups: a user and a station of another server are none of this one's.
        code(a, { userId: userOfB, stationId: stationsOfA[0]! }),
        code(a, { userId: usersOfA[0]!, stationId: stationOfB }),
      ]),
    );
    const logons = result.slice(0, 9) as Array<{ acquired: string[] }>;
    expect(logons.every((l) => l.acquired.includes(`${CLIENT}_CONCURRENT`))).toBe(true);
    expect(result.slice(9)).toEqual(['NOT_FOUND', 'NOT_FOUND']);
    expect((await h.statistic(a, CLIENT)).concurrentInUse).toBe(8);
    expect((await h.statistic(b, CLIENT)).concurrentInUse).toBe(1);
    // Eleven events read in fewer round trips than events.
    const reads = sql.filter((q) => /^SELECT (u\.id|s\.id AS s_id)/.test(q));
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.length).toBeLessThan(11);
  });

  it('a member whose user changed since it was read rolls back alone; the others in its group commit', async () => {
    const server = await h.serverWith({ [`${CLIENT}_CONCURRENT`]: 20, [BASIC]: 20 });
    const station = await h.createStation(server);
    const shared = await h.createUser(server, [CLIENT]);
    const others = await Promise.all(Array.from({ length: 8 }, () => h.createUser(server, [CLIENT])));
    const stations = await Promise.all(others.map(() => h.createStation(server)));
    const applications = ['Connect', 'Desktop', 'Scripter', 'Supervisor'];
    const results = await Promise.all([
      ...applications.map((application) =>
        h.logon(server, { userId: shared, stationId: station, application }),
      ),
      ...others.map((userId, i) => h.logon(server, { userId, stationId: stations[i]! })),
    ]);
    // Every event applied: four sessions of the shared user holding one licence, eight others.
    expect(new Set(results.slice(0, 4).map((r) => r.session.id)).size).toBe(4);
    expect(results.slice(0, 4).filter((r) => r.acquired.length > 0)).toHaveLength(1);
    expect((await h.statistic(server, CLIENT)).concurrentInUse).toBe(9);
  });

  it('a replayed logon in a group fails the group; its members are sent alone and the replay answers as before', async () => {
    const server = await h.serverWith({ [`${CLIENT}_CONCURRENT`]: 20, [BASIC]: 20 });
    const station = await h.createStation(server);
    const userId = await h.createUser(server, [CLIENT]);
    const others = await Promise.all(Array.from({ length: 5 }, () => h.createUser(server, [CLIENT])));
    const stations = await Promise.all(others.map(() => h.createStation(server)));
    h.clock.advance(1000);
    const occurredAt = h.clock.now().toISOString();
    const before = counts();
    const [first, second, ...rest] = await Promise.all([
      h.logon(server, { userId, stationId: station, occurredAt }),
      h.logon(server, { userId, stationId: station, occurredAt }),
      ...others.map((id, i) => h.logon(server, { userId: id, stationId: stations[i]! })),
    ]);
    // The same event twice: one session, the licence taken once; the replay answers the same.
    expect(first!.session.id).toBe(second!.session.id);
    expect([first!.replayed, second!.replayed].sort()).toEqual([false, true]);
    expect(second!.acquired).toEqual(first!.acquired);
    expect(rest.every((r) => r.acquired.includes(`${CLIENT}_CONCURRENT`))).toBe(true);
    expect((await h.statistic(server, CLIENT)).concurrentInUse).toBe(6);
    expect(counts().members - before.members).toBeGreaterThanOrEqual(7);
  });
});
