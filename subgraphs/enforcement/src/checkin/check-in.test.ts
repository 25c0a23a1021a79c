import { describeEachDatabase } from '@lic/testing';
import {
  gqlErrorCode,
  startEnforcement,
  type EnforcementHarness,
  type TestServer,
} from '../../test/harness.js';

const CHECK_IN = `mutation($serverId: ID!, $success: Boolean!, $occurredAt: DateTime, $kind: CheckInKind) {
  recordCheckIn(serverId: $serverId, success: $success, occurredAt: $occurredAt, kind: $kind) {
    stage since nextStageAt lastGoodCheckIn
  }
}`;
const STATUS = `query($serverId: ID!, $asOf: DateTime) {
  enforcementStatus(serverId: $serverId, asOf: $asOf) { stage since nextStageAt lastGoodCheckIn }
}`;
const CHECK_INS = `query($serverId: ID!, $limit: Int) {
  enforcementCheckIns(serverId: $serverId, limit: $limit) { kind success occurredAt }
}`;

interface Status {
  stage: number;
  since: string | null;
  nextStageAt: string | null;
  lastGoodCheckIn: string | null;
}

describeEachDatabase('enforcement: check-ins', (database) => {
  let h: EnforcementHarness;

  beforeAll(async () => {
    h = await startEnforcement({ database });
  });
  afterAll(async () => {
    await h.close();
  });

  /** A virtual-cloud server of the worked example, with the clock at `now` and stages recorded. */
  const serverAt = async (now: string): Promise<TestServer & { token: string }> => {
    h.clock.set('2020-05-01T00:00:00.000Z');
    const server = await h.registerServer();
    await h.loadLicense(server);
    h.clock.set(now);
    await h.handle.scheduler.tick();
    return { ...server, token: await h.token(['SERVER'], { serverId: server.serverId }) };
  };

  const checkIn = async (server: TestServer & { token: string }, variables: Record<string, unknown>) =>
    (
      await h.gql<{ recordCheckIn: Status }>(
        CHECK_IN,
        { serverId: server.serverId, ...variables },
        server.token,
      )
    ).recordCheckIn;

  const status = async (server: TestServer, asOf?: string) =>
    (await h.gql<{ enforcementStatus: Status }>(STATUS, { serverId: server.serverId, asOf }))
      .enforcementStatus;

  const history = async (server: TestServer) =>
    (
      await h.gql<{ enforcementHistory: Array<{ from: number; to: number }> }>(
        `query($serverId: ID!) { enforcementHistory(serverId: $serverId) { from to } }`,
        { serverId: server.serverId },
      )
    ).enforcementHistory;

  it('a failed check-in is recorded and changes no standing', async () => {
    const server = await serverAt('2020-06-10T00:00:00.000Z');
    const result = await checkIn(server, { success: false });
    expect(result).toMatchObject({ stage: 2, since: '2020-06-08T00:00:00.000Z', lastGoodCheckIn: null });
    const { enforcementCheckIns } = await h.gql<{ enforcementCheckIns: unknown[] }>(CHECK_INS, {
      serverId: server.serverId,
    });
    expect(enforcementCheckIns).toEqual([
      { kind: 'PERIODIC', success: false, occurredAt: '2020-06-10T00:00:00.000Z' },
    ]);
    expect(await history(server)).toEqual([{ from: 1, to: 2 }]);
  });

  it('out-of-order reports: the last good check-in is the latest, whatever the order they arrive in', async () => {
    const server = await serverAt('2020-06-10T12:00:00.000Z');
    await checkIn(server, { success: true, occurredAt: '2020-06-10T06:00:00.000Z' });
    // A buffered report of an earlier check-in arrives afterwards: it is recorded, the standing keeps the later one.
    const late = await checkIn(server, { success: true, occurredAt: '2020-06-09T18:00:00.000Z' });
    expect(late).toMatchObject({
      stage: 1,
      lastGoodCheckIn: '2020-06-10T06:00:00.000Z',
      nextStageAt: '2020-06-17T06:00:00.000Z',
    });
    const { enforcementCheckIns } = await h.gql<{ enforcementCheckIns: Array<{ occurredAt: string }> }>(
      CHECK_INS,
      {
        serverId: server.serverId,
      },
    );
    expect(enforcementCheckIns.map((c) => c.occurredAt)).toEqual([
      '2020-06-10T06:00:00.000Z',
      '2020-06-09T18:00:00.000Z',
    ]);
  });

  it('a late report of a check-in made before stage 2 began returns the server to stage 1', async () => {
    const server = await serverAt('2020-06-09T00:00:00.000Z');
    expect((await status(server)).stage).toBe(2);
    const result = await checkIn(server, { success: true, occurredAt: '2020-06-07T22:00:00.000Z' });
    expect(result).toMatchObject({ stage: 1, nextStageAt: '2020-06-14T22:00:00.000Z' });
    expect(await history(server)).toEqual([
      { from: 1, to: 2 },
      { from: 2, to: 1 },
    ]);
  });

  it('a replayed report is recorded once', async () => {
    const server = await serverAt('2020-06-10T00:00:00.000Z');
    await checkIn(server, { success: true, occurredAt: '2020-06-09T00:00:00.000Z' });
    await checkIn(server, { success: true, occurredAt: '2020-06-09T00:00:00.000Z' });
    const { enforcementCheckIns } = await h.gql<{ enforcementCheckIns: unknown[] }>(CHECK_INS, {
      serverId: server.serverId,
    });
    expect(enforcementCheckIns).toHaveLength(1);
  });

  it('asOf in the past uses the check-ins made by then; in the future it says what will happen', async () => {
    const server = await serverAt('2020-06-17T10:00:00.000Z');
    await checkIn(server, { success: true });
    expect(await status(server, '2020-06-16T00:00:00.000Z')).toMatchObject({
      stage: 3,
      lastGoodCheckIn: null,
    });
    expect(await status(server, '2020-06-17T10:00:00.000Z')).toMatchObject({
      stage: 1,
      lastGoodCheckIn: '2020-06-17T10:00:00.000Z',
    });
    expect(await status(server, '2020-07-02T00:00:00.000Z')).toMatchObject({
      stage: 3,
      since: '2020-07-01T10:00:00.000Z',
      nextStageAt: '2020-07-08T10:00:00.000Z',
    });
  });

  it('the start-up and switchover checks are judged by the platform: a start the server reports as failed is recorded, a good one counts', async () => {
    const server = await serverAt('2020-06-16T00:00:00.000Z');
    await h.startServer(server, { checkInSucceeded: false });
    expect(await status(server)).toMatchObject({ stage: 3, lastGoodCheckIn: null });

    h.clock.set('2020-06-16T08:00:00.000Z');
    // No claim at all: the platform's verdict on its own records decides.
    await h.startServer(server, { switchover: true });
    expect(await status(server)).toMatchObject({ stage: 1, lastGoodCheckIn: '2020-06-16T08:00:00.000Z' });

    const { enforcementCheckIns } = await h.gql<{ enforcementCheckIns: unknown[] }>(CHECK_INS, {
      serverId: server.serverId,
    });
    expect(enforcementCheckIns).toEqual([
      { kind: 'SWITCHOVER', success: true, occurredAt: '2020-06-16T08:00:00.000Z' },
      { kind: 'STARTUP', success: false, occurredAt: '2020-06-16T00:00:00.000Z' },
    ]);
    const events = (await h.outboxStageChanges()).filter((e) => e['serverId'] === server.serverId);
    expect(events.at(-1)).toMatchObject({ from: 3, to: 1, cause: 'CHECK_IN', supervisorEnabled: true });
  });

  it('only the server itself checks in (the licensing team overrides instead, on the record)', async () => {
    const server = await serverAt('2020-06-10T00:00:00.000Z');
    const other = await h.token(['SERVER'], { serverId: 'another-server', accountId: server.accountId });
    const supervisor = await h.token(['SUPERVISOR'], { accountId: server.accountId });
    const customerAdmin = await h.token(['CUSTOMER_ADMIN'], { accountId: server.accountId });
    const vars = { serverId: server.serverId, success: true };
    expect(await gqlErrorCode(h, CHECK_IN, vars, other)).toBe('FORBIDDEN');
    expect(await gqlErrorCode(h, CHECK_IN, vars, supervisor)).toBe('FORBIDDEN');
    expect(await gqlErrorCode(h, CHECK_IN, vars, customerAdmin)).toBe('FORBIDDEN');
    expect(await gqlErrorCode(h, CHECK_IN, vars, h.adminToken)).toBe('FORBIDDEN');
    expect((await status(server)).stage).toBe(2);

    const { recordCheckIn } = await h.gql<{ recordCheckIn: Status }>(CHECK_IN, vars, server.token);
    expect(recordCheckIn.stage).toBe(1);
  });

  it('refuses reports from the future, unknown servers and callers without a token', async () => {
    const server = await serverAt('2020-06-10T00:00:00.000Z');
    expect(
      await gqlErrorCode(
        h,
        CHECK_IN,
        { serverId: server.serverId, success: true, occurredAt: '2020-06-10T01:00:00.000Z' },
        server.token,
      ),
    ).toBe('EVENT_IN_FUTURE');
    expect(
      await gqlErrorCode(
        h,
        CHECK_IN,
        { serverId: server.serverId, success: true, occurredAt: 'yesterday' },
        server.token,
      ),
    ).toBe('BAD_USER_INPUT');
    const unknown = await h.token(['SERVER'], { serverId: 'no-such-server' });
    expect(await gqlErrorCode(h, CHECK_IN, { serverId: 'no-such-server', success: true }, unknown)).toBe(
      'NOT_FOUND',
    );
    expect(await gqlErrorCode(h, CHECK_IN, { serverId: server.serverId, success: true }, '')).toBe(
      'UNAUTHENTICATED',
    );
    // Nothing half-written: still no check-in recorded, still stage 2.
    const { enforcementCheckIns } = await h.gql<{ enforcementCheckIns: unknown[] }>(CHECK_INS, {
      serverId: server.serverId,
    });
    expect(enforcementCheckIns).toEqual([]);
    expect((await status(server)).stage).toBe(2);
  });

  it('a report a little ahead of our clock (server clock skew) counts as now', async () => {
    const server = await serverAt('2020-06-10T00:00:00.000Z');
    const result = await checkIn(server, { success: true, occurredAt: '2020-06-10T00:02:00.000Z' });
    expect(result).toMatchObject({ stage: 1, lastGoodCheckIn: '2020-06-10T00:00:00.000Z' });
  });
});
