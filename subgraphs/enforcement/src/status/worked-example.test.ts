import { DAY_MS } from '@lic/shared';
import { describeEachDatabase } from '@lic/testing';
import { startEnforcement, type EnforcementHarness, type TestServer } from '../../test/harness.js';

const STATUS = `query($serverId: ID!, $asOf: DateTime) {
  enforcementStatus(serverId: $serverId, asOf: $asOf) {
    applicable stage stageName since nextStageAt warning supervisorEnabled callPortLimit licensedCallPorts lastGoodCheckIn
  }
}`;
const HISTORY = `query($serverId: ID!) { enforcementHistory(serverId: $serverId) { from to fromName toName at cause supervisorEnabled callPortLimit } }`;
const CHECK_IN = `mutation($serverId: ID!, $success: Boolean!, $occurredAt: DateTime) {
  recordCheckIn(serverId: $serverId, success: $success, occurredAt: $occurredAt) { stage stageName since nextStageAt lastGoodCheckIn }
}`;

interface Status {
  applicable: boolean;
  stage: number;
  stageName: string;
  since: string | null;
  nextStageAt: string | null;
  warning: string;
  supervisorEnabled: boolean;
  callPortLimit: number | null;
  licensedCallPorts: number;
  lastGoodCheckIn: string | null;
}

const iso = (day: string) => `${day}T00:00:00.000Z`;
const dayOf = (t: number) => new Date(t).toISOString().slice(0, 10);

/** docs/domain.md section 4: stage 1 through 06-07, 2 on 06-08, 3 on 06-15, 4 on 06-22, 5 on 06-29, 6 on 07-06. */
const expectedStage = (day: string): number =>
  day < '2020-06-08'
    ? 1
    : day < '2020-06-15'
      ? 2
      : day < '2020-06-22'
        ? 3
        : day < '2020-06-29'
          ? 4
          : day < '2020-07-06'
            ? 5
            : 6;

describeEachDatabase('enforcement: SPEC worked example through the service', (database) => {
  let h: EnforcementHarness;

  beforeAll(async () => {
    h = await startEnforcement({ database });
  });
  afterAll(async () => {
    await h.close();
  });

  const status = async (server: TestServer, asOf?: string) =>
    (await h.gql<{ enforcementStatus: Status }>(STATUS, { serverId: server.serverId, asOf }))
      .enforcementStatus;

  /** Midnight by midnight, a scheduler tick each day; `recorded` is how many changes the server got that day. */
  const walk = async (
    server: TestServer,
    fromDay: string,
    toDay: string,
    each?: (day: string, recorded: number) => Promise<void>,
  ) => {
    let seen = (await h.row(server.serverId))?.changeSeq ?? 0;
    for (let t = Date.parse(iso(fromDay)); t <= Date.parse(iso(toDay)); t += DAY_MS) {
      h.clock.set(new Date(t));
      await h.handle.scheduler.tick();
      const seq = (await h.row(server.serverId))?.changeSeq ?? 0;
      await each?.(dayOf(t), seq - seen);
      seen = seq;
    }
  };

  it('issued 2020-05-01, ramp 2020-06-01, grace 7 days, no check-in: each transition on its day, once', async () => {
    h.clock.set(iso('2020-05-01'));
    const server = await h.registerServer();
    await h.loadLicense(server, { rampDate: iso('2020-06-01'), graceDays: 7, callPorts: 23 });

    const transitionDays: string[] = [];
    await walk(server, '2020-05-01', '2020-07-10', async (day, recorded) => {
      const s = await status(server);
      expect({ day, stage: s.stage }).toEqual({ day, stage: expectedStage(day) });
      if (recorded > 0) transitionDays.push(day);
      expect(recorded).toBeLessThanOrEqual(1);
    });
    expect(transitionDays).toEqual(['2020-06-08', '2020-06-15', '2020-06-22', '2020-06-29', '2020-07-06']);

    const { enforcementHistory } = await h.gql<{ enforcementHistory: unknown[] }>(HISTORY, {
      serverId: server.serverId,
    });
    expect(enforcementHistory).toEqual([
      {
        from: 1,
        to: 2,
        fromName: 'FULLY_FUNCTIONAL',
        toName: 'WARNING',
        at: iso('2020-06-08'),
        cause: 'GRACE_PERIOD_ELAPSED',
        supervisorEnabled: true,
        callPortLimit: null,
      },
      {
        from: 2,
        to: 3,
        fromName: 'WARNING',
        toName: 'OBTRUSIVE_WARNING',
        at: iso('2020-06-15'),
        cause: 'GRACE_PERIOD_ELAPSED',
        supervisorEnabled: true,
        callPortLimit: null,
      },
      {
        from: 3,
        to: 4,
        fromName: 'OBTRUSIVE_WARNING',
        toName: 'SUPERVISOR_DISABLED',
        at: iso('2020-06-22'),
        cause: 'GRACE_PERIOD_ELAPSED',
        supervisorEnabled: false,
        callPortLimit: null,
      },
      {
        from: 4,
        to: 5,
        fromName: 'SUPERVISOR_DISABLED',
        toName: 'CALL_PORTS_LIMITED',
        at: iso('2020-06-29'),
        cause: 'GRACE_PERIOD_ELAPSED',
        supervisorEnabled: false,
        callPortLimit: 4,
      },
      {
        from: 5,
        to: 6,
        fromName: 'CALL_PORTS_LIMITED',
        toName: 'UNLICENSED',
        at: iso('2020-07-06'),
        cause: 'GRACE_PERIOD_ELAPSED',
        supervisorEnabled: false,
        callPortLimit: 2,
      },
    ]);

    // One outbox event per change, carrying the effects allocation applies.
    const events = (await h.outboxStageChanges()).filter((e) => e['serverId'] === server.serverId);
    expect(
      events.map((e) => [e['from'], e['to'], e['at'], e['supervisorEnabled'], e['callPortLimit']]),
    ).toEqual([
      [1, 2, iso('2020-06-08'), true, null],
      [2, 3, iso('2020-06-15'), true, null],
      [3, 4, iso('2020-06-22'), false, null],
      [4, 5, iso('2020-06-29'), false, 4],
      [5, 6, iso('2020-07-06'), false, 2],
    ]);
  });

  it('the status says what each stage means and when the next begins', async () => {
    h.clock.set(iso('2020-05-01'));
    const server = await h.registerServer();
    await h.loadLicense(server, { callPorts: 23 });
    const at = (day: string) => status(server, day.length === 10 ? iso(day) : day);

    expect(await at('2020-05-01')).toMatchObject({
      applicable: true,
      stage: 1,
      since: null,
      nextStageAt: iso('2020-06-08'),
      warning: 'NONE',
    });
    expect(await at('2020-06-07T23:59:59.999Z')).toMatchObject({
      stage: 1,
      since: iso('2020-06-01'),
      nextStageAt: iso('2020-06-08'),
    });
    expect(await at('2020-06-08')).toMatchObject({
      stage: 2,
      stageName: 'WARNING',
      warning: 'STATUS_BAR',
      nextStageAt: iso('2020-06-15'),
    });
    expect(await at('2020-06-15')).toMatchObject({
      stage: 3,
      stageName: 'OBTRUSIVE_WARNING',
      warning: 'OBTRUSIVE',
      supervisorEnabled: true,
    });
    expect(await at('2020-06-22')).toMatchObject({
      stage: 4,
      stageName: 'SUPERVISOR_DISABLED',
      supervisorEnabled: false,
      callPortLimit: null,
    });
    expect(await at('2020-06-29')).toMatchObject({
      stage: 5,
      stageName: 'CALL_PORTS_LIMITED',
      callPortLimit: 4,
      licensedCallPorts: 23,
    });
    expect(await at('2020-07-06')).toMatchObject({
      stage: 6,
      stageName: 'UNLICENSED',
      callPortLimit: 2,
      nextStageAt: null,
      since: iso('2020-07-06'),
    });
  });

  it('a check-in in the middle of stage 3 returns to stage 1 and restarts the grace period', async () => {
    h.clock.set(iso('2020-05-01'));
    const server = await h.registerServer();
    await h.loadLicense(server);
    await walk(server, '2020-05-01', '2020-06-17');
    h.clock.set('2020-06-17T10:00:00.000Z');
    expect((await status(server)).stage).toBe(3);

    const serverToken = await h.token(['SERVER'], { serverId: server.serverId, accountId: server.accountId });
    const { recordCheckIn } = await h.gql<{ recordCheckIn: Partial<Status> }>(
      CHECK_IN,
      { serverId: server.serverId, success: true },
      serverToken,
    );
    expect(recordCheckIn).toEqual({
      stage: 1,
      stageName: 'FULLY_FUNCTIONAL',
      since: '2020-06-17T10:00:00.000Z',
      nextStageAt: '2020-06-24T10:00:00.000Z',
      lastGoodCheckIn: '2020-06-17T10:00:00.000Z',
    });

    const stages: Array<[string, number]> = [];
    await walk(server, '2020-06-18', '2020-07-20', async (day) => {
      stages.push([day, (await status(server)).stage]);
    });
    // The restarted grace period: stage 2 from 06-24 10:00, so first seen at midnight on 06-25.
    expect(stages.find(([, s]) => s === 2)?.[0]).toBe('2020-06-25');
    expect(stages.find(([, s]) => s === 3)?.[0]).toBe('2020-07-02');

    const { enforcementHistory } = await h.gql<{
      enforcementHistory: Array<{ from: number; to: number; at: string; cause: string }>;
    }>(HISTORY, { serverId: server.serverId });
    expect(enforcementHistory.map((c) => [c.from, c.to, c.at, c.cause])).toEqual([
      [1, 2, iso('2020-06-08'), 'GRACE_PERIOD_ELAPSED'],
      [2, 3, iso('2020-06-15'), 'GRACE_PERIOD_ELAPSED'],
      [3, 1, '2020-06-17T10:00:00.000Z', 'CHECK_IN'],
      [1, 2, '2020-06-24T10:00:00.000Z', 'GRACE_PERIOD_ELAPSED'],
      [2, 3, '2020-07-01T10:00:00.000Z', 'GRACE_PERIOD_ELAPSED'],
      [3, 4, '2020-07-08T10:00:00.000Z', 'GRACE_PERIOD_ELAPSED'],
      [4, 5, '2020-07-15T10:00:00.000Z', 'GRACE_PERIOD_ELAPSED'],
    ]);
    // The return to stage 1 restores every effect in allocation.
    const events = (await h.outboxStageChanges()).filter((e) => e['serverId'] === server.serverId);
    expect(events[2]).toMatchObject({
      from: 3,
      to: 1,
      supervisorEnabled: true,
      callPortLimit: null,
      cause: 'CHECK_IN',
    });
  });

  it('check-ins before the ramp date do not postpone enforcement', async () => {
    h.clock.set(iso('2020-05-01'));
    const server = await h.registerServer();
    await h.loadLicense(server);
    const serverToken = await h.token(['SERVER'], { serverId: server.serverId });
    await walk(server, '2020-05-01', '2020-05-31', async (day) => {
      if (day === '2020-05-20' || day === '2020-05-31') {
        h.clock.set(`${day}T12:00:00.000Z`);
        await h.gql(CHECK_IN, { serverId: server.serverId, success: true }, serverToken);
      }
    });
    const s = await status(server);
    expect(s).toMatchObject({
      stage: 1,
      lastGoodCheckIn: '2020-05-31T12:00:00.000Z',
      nextStageAt: iso('2020-06-08'),
    });

    const transitions: string[] = [];
    await walk(server, '2020-06-01', '2020-06-16', async (day, recorded) => {
      if (recorded) transitions.push(day);
    });
    expect(transitions).toEqual(['2020-06-08', '2020-06-15']);
  });

  it('servers without I3_FEATURE_VIRTUAL_CLOUD are never enforced', async () => {
    h.clock.set(iso('2020-05-01'));
    const server = await h.registerServer();
    await h.loadLicense(server, { virtualCloud: false, callPorts: 23 });
    await walk(server, '2020-05-01', '2020-09-30', async (day, recorded) => {
      expect({ day, recorded }).toEqual({ day, recorded: 0 });
    });
    expect(await status(server)).toMatchObject({
      applicable: false,
      stage: 1,
      stageName: 'FULLY_FUNCTIONAL',
      since: null,
      nextStageAt: null,
      warning: 'NONE',
      supervisorEnabled: true,
      callPortLimit: null,
    });
    expect(await status(server, '2030-01-01T00:00:00.000Z')).toMatchObject({ applicable: false, stage: 1 });
    const { enforcementHistory } = await h.gql<{ enforcementHistory: unknown[] }>(HISTORY, {
      serverId: server.serverId,
    });
    expect(enforcementHistory).toEqual([]);
    expect((await h.outboxStageChanges()).filter((e) => e['serverId'] === server.serverId)).toEqual([]);
  });

  it('a licence without I3_FEATURE_VIRTUAL_CLOUD ends enforcement and restores every effect', async () => {
    h.clock.set(iso('2020-06-30'));
    const server = await h.registerServer();
    // Loaded long after the ramp date with no check-in: stage 5 at once, as one change.
    await h.loadLicense(server);
    expect((await status(server)).stage).toBe(5);
    await h.loadLicense(server, { virtualCloud: false });
    expect(await status(server)).toMatchObject({
      applicable: false,
      stage: 1,
      supervisorEnabled: true,
      callPortLimit: null,
    });
    const events = (await h.outboxStageChanges()).filter((e) => e['serverId'] === server.serverId);
    expect(
      events.map((e) => [e['from'], e['to'], e['cause'], e['supervisorEnabled'], e['callPortLimit']]),
    ).toEqual([
      [1, 5, 'LICENSE_LOADED', false, 4],
      [5, 1, 'LICENSE_LOADED', true, null],
    ]);
  });
});
