import { describeEachDatabase, eventually } from '@lic/testing';
import {
  type BillingHarness,
  EventFactory,
  LICENSES,
  LOCAL_LICENSE,
  SESSIONS_QUERY,
  type SessionsResult,
  UNTRACKED_LICENSE,
  UPLOAD_LICENSE,
  billingHarness,
  newServer,
} from '../../test/harness.js';

const day = (hhmm: string, date = '2020-05-04') => `${date}T${hhmm}:00.000Z`;
const WINDOW = { from: '2020-05-01T00:00:00.000Z', to: '2020-05-10T00:00:00.000Z' };

describeEachDatabase('usage collection', (database) => {
  let h: BillingHarness;
  beforeAll(async () => {
    h = await billingHarness({ database });
  });
  afterAll(async () => {
    await h.close();
  });

  const sessionsOf = async (serverId: string, userId?: string) =>
    (await h.data<SessionsResult>(SESSIONS_QUERY, { serverId, userId, ...WINDOW })).usageSessions;

  it('turns the John Smith table into one active session from 08:00 to 16:30', async () => {
    const server = newServer();
    const f = new EventFactory();
    const john = 'john-smith';
    await h.publish([
      f.licenseLoaded(server, UPLOAD_LICENSE, day('00:00', '2020-05-01')),
      f.logon(server, john, day('08:00'), LICENSES.john, 'ICBM'),
      f.logon(server, john, day('08:30'), LICENSES.john, 'Connect'),
      f.logoff(server, john, day('15:00'), LICENSES.john, 'ICBM'),
      f.logon(server, john, day('15:30'), LICENSES.john, 'Desktop'),
      f.logoff(server, john, day('16:00'), LICENSES.john, 'Connect'),
      f.logoff(server, john, day('16:30'), LICENSES.john, 'Desktop'),
    ]);
    expect(await sessionsOf(server.serverId)).toEqual([
      {
        user: { id: john },
        start: day('08:00'),
        end: day('16:30'),
        categories: ['AGENT', 'RECORDER'],
        licenses: LICENSES.john,
      },
    ]);
  });

  it('classifies Tina, Sam and Jane as SPEC §3 says', async () => {
    const server = newServer();
    const f = new EventFactory();
    await h.publish([
      f.licenseLoaded(server, UPLOAD_LICENSE, day('00:00', '2020-05-01')),
      ...f.session(server, 'tina', day('09:00'), day('10:00'), LICENSES.tina),
      ...f.session(server, 'sam', day('09:00'), day('10:00'), LICENSES.sam),
      ...f.session(server, 'jane', day('09:00'), day('10:00'), LICENSES.jane),
    ]);
    const categories = Object.fromEntries(
      (await sessionsOf(server.serverId)).map((s) => [s.user.id, s.categories]),
    );
    expect(categories).toEqual({
      tina: ['BUSINESS_USER'],
      sam: ['AGENT'],
      jane: ['AGENT', 'FEEDBACK', 'MULTI_CHANNEL'],
    });
  });

  it('shows a session still going without an end, and carries every licence applied during it', async () => {
    const server = newServer();
    const f = new EventFactory();
    await h.publish([
      f.licenseLoaded(server, LOCAL_LICENSE, day('00:00', '2020-05-01')),
      f.logon(server, 'tina', day('09:00'), LICENSES.tina, 'Connect'),
      f.logon(server, 'tina', day('09:30'), [...LICENSES.tina, 'I3_ACCESS_RECORDER'], 'Desktop'),
    ]);
    expect(await sessionsOf(server.serverId)).toEqual([
      expect.objectContaining({ start: day('09:00'), end: null, categories: ['AGENT', 'RECORDER'] }),
    ]);
  });

  it('collects nothing for a server whose licence holds no usage-tracking key', async () => {
    const server = newServer();
    const f = new EventFactory();
    await h.publish([
      f.licenseLoaded(server, UNTRACKED_LICENSE, day('00:00', '2020-05-01')),
      ...f.session(server, 'tina', day('09:00'), day('10:00'), LICENSES.tina),
    ]);
    expect(await sessionsOf(server.serverId)).toEqual([]);
    const files = await h.data<{ usageFiles: unknown[] }>(
      'query($s: ID!, $from: DateTime, $to: DateTime) { usageFiles(serverId: $s, from: $from, to: $to) { id } }',
      { s: server.serverId, ...WINDOW },
    );
    expect(files.usageFiles).toEqual([]);
  });

  it.each([
    ['I3_FEATURE_USAGE_TRACKING_UPLOAD', 'AUTOMATED'],
    ['I3_FEATURE_USAGE_TRACKING', 'AUTOMATED'],
    ['I3_FEATURE_USAGE_TRACKING_LOCAL', 'MANUAL'],
    ['I3_FEATURE_VIRTUAL_CLOUD', 'AUTOMATED'],
  ])('collects usage under %s (%s upload)', async (key, mode) => {
    const server = newServer();
    const f = new EventFactory();
    await h.publish([
      f.licenseLoaded(server, { [key]: 1, I3_ACCESS_CLIENT: 10 }, day('00:00', '2020-05-01')),
      ...f.session(server, 'sam', day('09:00'), day('10:00'), LICENSES.sam),
    ]);
    expect(await sessionsOf(server.serverId)).toHaveLength(1);
    const result = await h.data<{ _entities: Array<{ usageTracking: string }> }>(
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Server { usageTracking } } }',
      { r: [{ __typename: 'Server', id: server.serverId }] },
    );
    expect(result._entities).toEqual([{ usageTracking: mode }]);
  });

  it('counts only the part of a session while the licence tracked usage, even when the licence event arrives late', async () => {
    const server = newServer();
    const f = new EventFactory();
    // The session events come first; the loads (untracked, then tracked from 12:00) arrive after.
    await h.publish([...f.session(server, 'sam', day('08:00'), day('17:00'), LICENSES.sam)]);
    expect(await sessionsOf(server.serverId)).toEqual([]);
    await h.publish([
      f.licenseLoaded(server, UNTRACKED_LICENSE, day('00:00', '2020-05-01')),
      f.licenseLoaded(server, UPLOAD_LICENSE, day('12:00')),
    ]);
    expect(await sessionsOf(server.serverId)).toEqual([
      expect.objectContaining({ user: { id: 'sam' }, start: day('12:00'), end: day('17:00') }),
    ]);
  });

  it('filters by user and time range', async () => {
    const server = newServer();
    const f = new EventFactory();
    await h.publish([
      f.licenseLoaded(server, UPLOAD_LICENSE, day('00:00', '2020-05-01')),
      ...f.session(server, 'a', day('08:00'), day('09:00'), LICENSES.sam),
      ...f.session(server, 'b', day('08:30'), day('10:00'), LICENSES.sam),
      ...f.session(server, 'a', day('11:00'), day('12:00'), LICENSES.sam),
    ]);
    const onlyA = await sessionsOf(server.serverId, 'a');
    expect(onlyA.map((s) => s.start)).toEqual([day('08:00'), day('11:00')]);
    const ranged = await h.data<SessionsResult>(SESSIONS_QUERY, {
      serverId: server.serverId,
      from: day('09:30'),
      to: day('10:30'),
    });
    expect(ranged.usageSessions.map((s) => s.user.id)).toEqual(['b']);
  });

  it('scopes usage sessions to the tenant and a server credential to its own server', async () => {
    const server = newServer();
    const f = new EventFactory();
    await h.publish([f.licenseLoaded(server, UPLOAD_LICENSE, day('00:00', '2020-05-01'))]);
    const vars = { serverId: server.serverId, ...WINDOW };
    const own = await h.token(['CUSTOMER_ADMIN'], { accountId: server.accountId });
    const supervisor = await h.token(['SUPERVISOR'], { accountId: server.accountId });
    const other = await h.token(['CUSTOMER_ADMIN'], { accountId: 'someone-else' });
    const machine = await h.token(['SERVER'], { serverId: server.serverId });
    const otherMachine = await h.token(['SERVER'], {
      serverId: 'another-server',
      accountId: server.accountId,
    });
    expect((await h.query(SESSIONS_QUERY, vars, own)).errors).toBeUndefined();
    expect((await h.query(SESSIONS_QUERY, vars, supervisor)).errors).toBeUndefined();
    expect((await h.query(SESSIONS_QUERY, vars, machine)).errors).toBeUndefined();
    expect((await h.query(SESSIONS_QUERY, vars, other)).errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    expect((await h.query(SESSIONS_QUERY, vars, otherMachine)).errors?.[0]?.extensions?.['code']).toBe(
      'FORBIDDEN',
    );
    expect(
      (await h.query(SESSIONS_QUERY, { ...vars, serverId: 'unknown' })).errors?.[0]?.extensions?.['code'],
    ).toBe('NOT_FOUND');
    expect((await h.query(SESSIONS_QUERY, vars, '')).errors?.[0]?.extensions?.['code']).toBe(
      'UNAUTHENTICATED',
    );
  });

  it('under steady load derives each user about once per settle delay, not over and over', async () => {
    const server = newServer();
    const f = new EventFactory();
    await h.publish([f.licenseLoaded(server, UPLOAD_LICENSE, day('00:00', '2020-05-01'))]);
    const { deriver } = h.billing.services;
    const { dataSource } = h.billing.database;
    const delayMs = h.env.config.usageDeriveDelayMs;
    const users = Array.from({ length: 40 }, (_, i) => `steady-${i}`);
    const before = deriver.derivedUsers;
    const started = Date.now();
    // Every user logs on and off again and again for a little over two settle delays.
    for (let round = 0; Date.now() - started < 2.2 * delayMs; round += 1) {
      const at = (minutes: number) =>
        day(
          `${String(8 + Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`,
        );
      await h.publish(
        users.flatMap((user) => f.session(server, user, at(round * 2), at(round * 2 + 1), LICENSES.sam)),
      );
    }
    await eventually(async () => {
      const rows = (await dataSource.query(
        'SELECT COUNT(*) AS n FROM usage_user WHERE server_id = ? AND dirty_from IS NOT NULL',
        [server.serverId],
      )) as Array<{ n: unknown }>;
      return Number(rows[0]!.n) === 0;
    }, 20_000);
    // Passes start at least a delay apart, and each derives a user at most once.
    const passes = Math.floor((Date.now() - started) / delayMs) + 1;
    expect(deriver.derivedUsers - before).toBeLessThanOrEqual(users.length * passes);
  });

  it("derives a burst of one user's logons and logoffs once, in the background, after the events settle", async () => {
    const server = newServer();
    const f = new EventFactory();
    await h.publish([f.licenseLoaded(server, UPLOAD_LICENSE, day('00:00', '2020-05-01'))]);
    const { deriver } = h.billing.services;
    const { dataSource } = h.billing.database;
    const before = deriver.derivedUsers;
    const burst = Array.from({ length: 10 }, (_, i) =>
      f.session(
        server,
        'burst-user',
        day(`09:${String(i * 5).padStart(2, '0')}`),
        day(`09:${String(i * 5 + 2).padStart(2, '0')}`),
        LICENSES.sam,
      ),
    ).flat();
    await h.publish(burst);
    // Nobody reads: the background pass alone brings the user up to date.
    await eventually(async () => {
      const rows = (await dataSource.query(
        'SELECT dirty_from FROM usage_user WHERE server_id = ? AND user_id = ?',
        [server.serverId, 'burst-user'],
      )) as Array<{ dirty_from: unknown }>;
      return rows.length === 1 && rows[0]!.dirty_from === null;
    }, 10_000);
    // 20 events, derived in one pass (two if the pass began while the last events arrived).
    expect(deriver.derivedUsers - before).toBeLessThanOrEqual(2);
    expect(await sessionsOf(server.serverId, 'burst-user')).toHaveLength(10);
  });
});
