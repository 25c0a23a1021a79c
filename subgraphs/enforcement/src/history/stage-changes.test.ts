import { DAY_MS, Topics, systemClock } from '@lic/shared';
import { describeEachDatabase, eventually, subscribe, wsClient, type TestSubscription } from '@lic/testing';
import { type Client } from 'graphql-ws';
import { startEnforcement, type EnforcementHarness } from '../../test/harness.js';

const CHANGES = `subscription($serverId: ID, $accountId: ID) {
  enforcementStageChanged(serverId: $serverId, accountId: $accountId) {
    server { id } from to fromName toName at cause supervisorEnabled callPortLimit
  }
}`;

interface Change {
  server: { id: string };
  from: number;
  to: number;
  fromName: string;
  toName: string;
  at: string;
  cause: string;
  supervisorEnabled: boolean;
  callPortLimit: number | null;
}
type Payload = { enforcementStageChanged: Change };

const iso = (day: string) => `${day}T00:00:00.000Z`;
/** Lets anything not expected arrive before counting what did. */
const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

describeEachDatabase('enforcement: stage changes pushed to subscribers', (database) => {
  let h: EnforcementHarness;
  const clients: Client[] = [];
  const subscriptions: Array<TestSubscription<Payload>> = [];

  const watch = async (token: string, variables: Record<string, unknown>) => {
    const client = wsClient(h.handle.url, token);
    clients.push(client);
    const sub = subscribe<Payload>(client, CHANGES, variables);
    subscriptions.push(sub);
    return sub;
  };

  beforeAll(async () => {
    h = await startEnforcement({ database });
  });
  afterAll(async () => {
    subscriptions.forEach((s) => s.close());
    await Promise.all(clients.map((c) => c.dispose()));
    await h.close();
  });

  const walk = async (fromDay: string, toDay: string) => {
    for (let t = Date.parse(iso(fromDay)); t <= Date.parse(iso(toDay)); t += DAY_MS) {
      h.clock.set(new Date(t));
      await h.handle.scheduler.tick();
    }
  };

  it('a supervisor watching a server receives each scheduled change once, with an outbox event for each', async () => {
    h.clock.set(iso('2020-05-01'));
    const server = await h.registerServer();
    await h.loadLicense(server, { callPorts: 23 });
    const supervisor = await h.token(['SUPERVISOR'], { accountId: server.accountId });
    const sub = await watch(supervisor, { serverId: server.serverId });
    await h.listening(1);

    await walk('2020-05-01', '2020-06-08');
    expect((await sub.next(1)).data?.enforcementStageChanged).toEqual({
      server: { id: server.serverId },
      from: 1,
      to: 2,
      fromName: 'FULLY_FUNCTIONAL',
      toName: 'WARNING',
      at: iso('2020-06-08'),
      cause: 'GRACE_PERIOD_ELAPSED',
      supervisorEnabled: true,
      callPortLimit: null,
    });
    await walk('2020-06-09', '2020-07-31');
    await sub.next(5);
    await settle(300);
    const received = sub.received.map((p) => p.data?.enforcementStageChanged);
    expect(received.map((c) => [c?.from, c?.to, c?.at, c?.supervisorEnabled, c?.callPortLimit])).toEqual([
      [1, 2, iso('2020-06-08'), true, null],
      [2, 3, iso('2020-06-15'), true, null],
      [3, 4, iso('2020-06-22'), false, null],
      [4, 5, iso('2020-06-29'), false, 4],
      [5, 6, iso('2020-07-06'), false, 2],
    ]);
    const events = (await h.outboxStageChanges()).filter((e) => e['serverId'] === server.serverId);
    expect(events.map((e) => [e['from'], e['to']])).toEqual([
      [1, 2],
      [2, 3],
      [3, 4],
      [4, 5],
      [5, 6],
    ]);
  });

  /** Every stage change written so far has been relayed and pushed (to whoever listened then). */
  const relayed = () =>
    eventually(async () => {
      const [row] = (await h.handle.database.dataSource.query(
        'SELECT (SELECT COUNT(*) FROM outbox_event WHERE topic = ?) AS written, ' +
          '(SELECT COUNT(*) FROM processed_event WHERE consumer = ?) AS pushed',
        [Topics.StageChanged, `enforcement:${Topics.StageChanged}`],
      )) as Array<{ written: unknown; pushed: unknown }>;
      return Number(row!.written) === Number(row!.pushed);
    });

  it('a good check-in is pushed as the return to stage 1', async () => {
    h.clock.set(iso('2020-05-01'));
    const server = await h.registerServer();
    await h.loadLicense(server);
    await walk('2020-05-01', '2020-06-17');
    // The walk's own changes are pushed before anyone subscribes (the relay batches under load).
    await relayed();
    const sub = await watch(h.adminToken, { serverId: server.serverId });
    await h.listening(2);
    const serverToken = await h.token(['SERVER'], { serverId: server.serverId });
    await h.gql(
      `mutation($id: ID!) { recordCheckIn(serverId: $id, success: true) { stage } }`,
      { id: server.serverId },
      serverToken,
    );
    expect((await sub.next(1)).data?.enforcementStageChanged).toMatchObject({
      from: 3,
      to: 1,
      at: iso('2020-06-17'),
      cause: 'CHECK_IN',
      supervisorEnabled: true,
      callPortLimit: null,
    });
  });

  it('tenants see only their own servers; asking for another tenant is refused', async () => {
    h.clock.set(iso('2020-05-01'));
    const mine = await h.registerServer();
    const theirs = await h.registerServer();
    await h.loadLicense(mine);
    await h.loadLicense(theirs);
    const supervisor = await h.token(['SUPERVISOR'], { accountId: mine.accountId });
    const everything = await watch(supervisor, {});
    const byAccount = await watch(supervisor, { accountId: mine.accountId });
    const admin = await watch(h.adminToken, { accountId: theirs.accountId });
    const otherServer = await watch(supervisor, { serverId: theirs.serverId });
    const otherAccount = await watch(supervisor, { accountId: theirs.accountId });
    const serverToken = await h.token(['SERVER'], { serverId: mine.serverId, accountId: mine.accountId });
    const ownServerOnly = await watch(serverToken, {});
    for (const refused of [otherServer, otherAccount]) {
      expect((await refused.next(1)).errors).toMatchObject([{ extensions: { code: 'FORBIDDEN' } }]);
    }
    await h.listening(2 + 4);

    await walk('2020-06-07', '2020-06-08');
    for (const sub of [everything, byAccount, ownServerOnly]) {
      expect((await sub.next(1)).data?.enforcementStageChanged).toMatchObject({
        server: { id: mine.serverId },
        to: 2,
      });
    }
    expect((await admin.next(1)).data?.enforcementStageChanged).toMatchObject({
      server: { id: theirs.serverId },
      to: 2,
    });
    await settle(300);
    for (const sub of [everything, byAccount, ownServerOnly, admin]) expect(sub.received).toHaveLength(1);
  });

  /** A raw subscription whose subscribe payload carries `extensions` (what the gateway sends). */
  const watchResumable = (
    token: string,
    variables: Record<string, unknown>,
    resume: Record<string, unknown>,
  ) => {
    const client = wsClient(h.handle.url, token);
    clients.push(client);
    const received: Array<{ change: Change | undefined; cursor: unknown }> = [];
    const stop = client.subscribe<Payload>(
      { query: CHANGES, variables, extensions: { resume } },
      {
        next: (value) =>
          received.push({
            change: value.data?.enforcementStageChanged,
            cursor: (value.extensions as Record<string, unknown> | undefined)?.['resumeCursor'],
          }),
        error: () => undefined,
        complete: () => undefined,
      },
    );
    return { received, stop };
  };

  it('a subscription resumed with the cursor of its last event is told each change recorded while it was away, once, then the live ones', async () => {
    h.clock.set(iso('2020-05-01'));
    const server = await h.registerServer();
    await h.loadLicense(server);
    await walk('2020-05-01', '2020-05-31');
    await relayed();
    const supervisor = await h.token(['SUPERVISOR'], { accountId: server.accountId });
    const first = watchResumable(
      supervisor,
      { accountId: server.accountId },
      { since: Date.parse(iso('2020-05-31')) },
    );
    await h.listening(7);
    await walk('2020-06-01', '2020-06-08');
    await eventually(async () => first.received.length === 1);
    expect(first.received[0]!.change).toMatchObject({ from: 1, to: 2 });
    const cursor = first.received[0]!.cursor;
    expect(typeof cursor).toBe('string');

    // The subscriber goes away (the gateway lost its connection); a change is recorded meanwhile.
    first.stop();
    await walk('2020-06-09', '2020-06-15');
    await relayed();
    const resumed = watchResumable(supervisor, { accountId: server.accountId }, { cursor });
    await eventually(async () => resumed.received.length === 1);
    expect(resumed.received[0]!.change).toMatchObject({ from: 2, to: 3, at: iso('2020-06-15') });
    await h.listening(8);
    await walk('2020-06-16', '2020-06-22');
    await eventually(async () => resumed.received.length === 2);
    await settle(300);
    expect(resumed.received.map((r) => [r.change?.from, r.change?.to])).toEqual([
      [2, 3],
      [3, 4],
    ]);
    // Each event moves the cursor: resuming from the last one replays nothing.
    resumed.stop();
    const again = watchResumable(
      supervisor,
      { accountId: server.accountId },
      { cursor: resumed.received[1]!.cursor },
    );
    await h.listening(9);
    await settle(300);
    expect(again.received).toEqual([]);
    again.stop();
  });

  it('a resumable subscriber that unsubscribes gives its listener back at once, though nothing changes', async () => {
    h.clock.set(iso('2020-05-01'));
    const server = await h.registerServer();
    const supervisor = await h.token(['SUPERVISOR'], { accountId: server.accountId });
    const before = h.listeningNow();
    // What the gateway sends: every subscribe carries a resume point.
    const quiet = watchResumable(supervisor, { serverId: server.serverId }, { since: Date.now() });
    await eventually(async () => h.listeningNow() === before + 1);
    quiet.stop();
    // No stage change comes for this server: the listener must not wait for one to be released.
    await eventually(async () => h.listeningNow() === before, 5000);
    expect(quiet.received).toEqual([]);
  });

  it('the change is pushed the moment the next stage begins, without a tick being asked for', async () => {
    // A subgraph on the real clock, whose licence puts the start of stage 2 less than a second away.
    const live = await startEnforcement({ database, clockOverride: systemClock, autoSchedule: true });
    try {
      const server = await live.registerServer();
      const stage2At = Date.now() + 800;
      const sub = subscribe<Payload>(wsClient(live.handle.url, live.adminToken), CHANGES, {
        serverId: server.serverId,
      });
      subscriptions.push(sub);
      await live.listening(1);
      await live.loadLicense(server, {
        rampDate: new Date(stage2At - 7 * DAY_MS).toISOString(),
        graceDays: 7,
        loadedAt: new Date().toISOString(),
      });
      const { data } = await sub.next(1, 10_000);
      const receivedAt = Date.now();
      expect(data?.enforcementStageChanged).toMatchObject({
        from: 1,
        to: 2,
        at: new Date(stage2At).toISOString(),
      });
      expect(receivedAt).toBeGreaterThanOrEqual(stage2At);
      // Pushed by the scheduler's timer for that instant, not by the hourly safety-net tick.
      expect(receivedAt - stage2At).toBeLessThan(5000);
    } finally {
      await live.close();
    }
  });
});
