import { randomUUID } from 'node:crypto';
import { Topics } from '@lic/shared';
import { describeEachDatabase, subscribe, tokenFor, wsClient } from '@lic/testing';
import {
  gqlErrorCode,
  startEnforcement,
  type EnforcementHarness,
  type LicenseTerms,
  type TestServer,
} from '../../test/harness.js';

/*
 * The rule (docs/domain.md, virtual cloud enforcement; the reference: the cloud "responds ... with
 * a message indicating that it's in good standing"): good standing is the platform's verdict,
 * never the server's claim. A server asks with its own credential; the platform answers good
 * standing only when the file loaded on that server is its current, active, unexpired revision,
 * the subscription behind it is active, and the account is not on hold. Otherwise the answer says
 * why, the attempt is recorded, and the stage timeline does not reset. Nobody can record a
 * successful check-in by saying so; a manual override is recorded with who and why.
 */

const RECORD_CHECK_IN = `mutation($serverId: ID!, $success: Boolean!, $occurredAt: DateTime) {
  recordCheckIn(serverId: $serverId, success: $success, occurredAt: $occurredAt) { stage }
}`;
const CHECK_IN = `mutation($serverId: ID!, $occurredAt: DateTime, $kind: CheckInKind) {
  checkIn(serverId: $serverId, occurredAt: $occurredAt, kind: $kind) {
    stage lastGoodCheckIn goodStanding standingRefusal { code reason message }
  }
}`;
const RECORD_CHECK_IN_VERDICT = `mutation($serverId: ID!, $success: Boolean!) {
  recordCheckIn(serverId: $serverId, success: $success) {
    stage goodStanding standingRefusal { code reason }
  }
}`;
const STAGE = `query($serverId: ID!) { enforcementStatus(serverId: $serverId) { stage } }`;
const STATUS = `query($serverId: ID!) {
  enforcementStatus(serverId: $serverId) {
    stage warning goodStanding startedWithoutGoodStanding standingRefusal { code reason }
  }
}`;
const CHECK_INS = `query($serverId: ID!) {
  enforcementCheckIns(serverId: $serverId) { kind success reason reportedSuccess by note occurredAt }
}`;
const HISTORY = `query($serverId: ID!) {
  enforcementHistory(serverId: $serverId) { from to cause by reason }
}`;
const HOLD = `mutation($accountId: ID!, $reason: String!) {
  placeAccountOnHold(accountId: $accountId, reason: $reason) { accountId reason placedBy placedAt inForce }
}`;
const LIFT = `mutation($accountId: ID!, $note: String) {
  liftAccountHold(accountId: $accountId, note: $note) { reason inForce liftedBy liftedAt liftNote }
}`;
const HOLDS = `query($accountId: ID!) { accountHolds(accountId: $accountId) { reason inForce placedBy liftedBy } }`;
const OVERRIDE = `mutation($serverId: ID!, $reason: String!) {
  overrideGoodStanding(serverId: $serverId, reason: $reason) { stage goodStanding }
}`;

interface Verdict {
  stage: number;
  lastGoodCheckIn: string | null;
  goodStanding: boolean;
  standingRefusal: { code: string; reason: string; message: string } | null;
}

type Machine = TestServer & { token: string };

describeEachDatabase('enforcement: good standing is the platform verdict', (database) => {
  let h: EnforcementHarness;
  let licensingAdmin: string;

  beforeAll(async () => {
    h = await startEnforcement({ database });
    licensingAdmin = await tokenFor(h.config, { roles: ['LICENSING_ADMIN'], sub: 'admin-ada' });
  });
  afterAll(async () => {
    await h.close();
  });

  /** A virtual-cloud server of the worked example (ramp 2020-06-01, grace 7 days), clock at `now`. */
  const serverAt = async (now: string, terms: LicenseTerms = {}): Promise<Machine & { fileId: string }> => {
    h.clock.set('2020-05-01T00:00:00.000Z');
    const server = await h.registerServer();
    const fileId = terms.fileId ?? randomUUID();
    await h.loadLicense(server, { revision: 1, expiresAt: '2100-01-01T00:00:00.000Z', ...terms, fileId });
    h.clock.set(now);
    await h.handle.scheduler.tick();
    // What issueServerCredential hands a customer administrator: a SERVER token for this server.
    const token = await tokenFor(h.config, {
      roles: ['SERVER'],
      serverId: server.serverId,
      sub: `credential:${randomUUID()}`,
    });
    return { ...server, fileId, token };
  };

  const deactivate = (server: Machine & { fileId: string }, at = h.clock.now().toISOString()) =>
    h.publish(
      Topics.ActivationFileDeactivated,
      { fileId: server.fileId, accountId: server.accountId, deactivatedAt: at },
      'accounts',
    );

  const checkIn = async (server: Machine, variables: Record<string, unknown> = {}) =>
    (await h.gql<{ checkIn: Verdict }>(CHECK_IN, { serverId: server.serverId, ...variables }, server.token))
      .checkIn;

  const status = async (server: TestServer) =>
    (await h.gql<{ enforcementStatus: Record<string, unknown> }>(STATUS, { serverId: server.serverId }))
      .enforcementStatus;

  /** Only what the old API had, so that the hole's test runs on the code before the fix too. */
  const stage = async (server: TestServer) =>
    (await h.gql<{ enforcementStatus: { stage: number } }>(STAGE, { serverId: server.serverId }))
      .enforcementStatus.stage;

  const checkIns = async (server: TestServer) =>
    (
      await h.gql<{ enforcementCheckIns: Array<Record<string, unknown>> }>(CHECK_INS, {
        serverId: server.serverId,
      })
    ).enforcementCheckIns;

  const history = async (server: TestServer) =>
    (
      await h.gql<{ enforcementHistory: Array<Record<string, unknown>> }>(HISTORY, {
        serverId: server.serverId,
      })
    ).enforcementHistory;

  it('the hole: a customer administrator issues its own server credential and claims success; an unlicensed server (its file expired) stays at stage 6', async () => {
    const server = await serverAt('2020-07-10T00:00:00.000Z', { expiresAt: '2020-07-01T00:00:00.000Z' });
    expect(await stage(server)).toBe(6);

    const { recordCheckIn } = await h.gql<{ recordCheckIn: { stage: number } }>(
      RECORD_CHECK_IN,
      { serverId: server.serverId, success: true },
      server.token,
    );
    expect(recordCheckIn.stage).toBe(6);
    expect(await stage(server)).toBe(6);
    const { enforcementHistory } = await h.gql<{ enforcementHistory: Array<{ to: number }> }>(
      `query($serverId: ID!) { enforcementHistory(serverId: $serverId) { to } }`,
      { serverId: server.serverId },
    );
    expect(enforcementHistory.map((c) => c.to)).toEqual([2, 3, 4, 5, 6]);
  });

  it('nobody records a successful check-in by saying so: not the customer, not the licensing team (they override, on the record)', async () => {
    const server = await serverAt('2020-07-10T00:00:00.000Z');
    const customerAdmin = await h.token(['CUSTOMER_ADMIN'], { accountId: server.accountId });
    const mixed = await tokenFor(h.config, {
      roles: ['SERVER', 'CUSTOMER_ADMIN'],
      serverId: server.serverId,
      accountId: server.accountId,
    });
    const vars = { serverId: server.serverId, success: true };
    for (const token of [customerAdmin, licensingAdmin]) {
      expect(await gqlErrorCode(h, RECORD_CHECK_IN, vars, token)).toBe('FORBIDDEN');
      expect(await gqlErrorCode(h, CHECK_IN, { serverId: server.serverId }, token)).toBe('FORBIDDEN');
    }
    // A token that mixes the machine role with a person's is no token at all.
    expect(await gqlErrorCode(h, RECORD_CHECK_IN, vars, mixed)).toBe('UNAUTHENTICATED');
    expect(await gqlErrorCode(h, CHECK_IN, { serverId: server.serverId }, mixed)).toBe('UNAUTHENTICATED');
    // Nor may the server pass its own check off as an override.
    expect(
      await gqlErrorCode(h, CHECK_IN, { serverId: server.serverId, kind: 'OVERRIDE' }, server.token),
    ).toBe('BAD_USER_INPUT');
    expect(await checkIns(server)).toEqual([]);
    expect((await status(server))['stage']).toBe(6);
  });

  it('only the credential in force checks in: one replaced by a newer one is refused and nothing is recorded', async () => {
    const server = await serverAt('2020-06-10T00:00:00.000Z');
    const issue = (credentialId: string, issuedAt: string) =>
      h.publish(Topics.ServerCredentialIssued, {
        serverId: server.serverId,
        accountId: server.accountId,
        credentialId,
        issuedAt,
      });
    const credential = (credentialId: string) =>
      tokenFor(h.config, {
        roles: ['SERVER'],
        serverId: server.serverId,
        sub: `server-credential:${credentialId}`,
      });
    const [first, second] = [randomUUID(), randomUUID()];
    await issue(first, '2020-06-01T00:00:00.000Z');
    await issue(second, '2020-06-02T00:00:00.000Z');
    // Replayed, or delivered late: the first issue does not come back into force.
    await issue(first, '2020-06-01T00:00:00.000Z');

    expect(await gqlErrorCode(h, CHECK_IN, { serverId: server.serverId }, await credential(first))).toBe(
      'UNAUTHENTICATED',
    );
    expect(await checkIns(server)).toEqual([]);
    expect(await checkIn({ ...server, token: await credential(second) })).toMatchObject({
      stage: 1,
      goodStanding: true,
    });
  });

  it('a server in good standing that asks is answered good standing: stage 6 back to 1, the grace period restarts', async () => {
    const server = await serverAt('2020-07-10T00:00:00.000Z');
    expect(await checkIn(server)).toEqual({
      stage: 1,
      lastGoodCheckIn: '2020-07-10T00:00:00.000Z',
      goodStanding: true,
      standingRefusal: null,
    });
    expect((await history(server)).at(-1)).toMatchObject({ from: 6, to: 1, cause: 'CHECK_IN', by: null });
  });

  it('success: true is only the server report; success: false is recorded as a failed check', async () => {
    const server = await serverAt('2020-06-10T00:00:00.000Z');
    const vars = { serverId: server.serverId, success: false };
    const { recordCheckIn } = await h.gql<{ recordCheckIn: unknown }>(
      RECORD_CHECK_IN_VERDICT,
      vars,
      server.token,
    );
    expect(recordCheckIn).toEqual({
      stage: 2,
      goodStanding: false,
      standingRefusal: { code: 'NOT_IN_GOOD_STANDING', reason: 'CHECK_REPORTED_FAILED' },
    });
    expect(await checkIns(server)).toEqual([
      {
        kind: 'PERIODIC',
        success: false,
        reason: 'CHECK_REPORTED_FAILED',
        reportedSuccess: false,
        by: null,
        note: null,
        occurredAt: '2020-06-10T00:00:00.000Z',
      },
    ]);
  });

  describe('each refusal: answered with the reason, recorded, and the stage timeline does not reset', () => {
    // Every row has all three cells: jest would take a missing one for a `done` callback.
    const cases: Array<[string, (server: Machine & { fileId: string }) => Promise<void>, LicenseTerms]> = [
      ['LICENSE_FILE_DEACTIVATED', (server) => deactivate(server), {}],
      [
        'LICENSE_FILE_SUPERSEDED',
        (server) =>
          h.publish(
            Topics.ActivationFileUpdated,
            {
              fileId: server.fileId,
              accountId: server.accountId,
              revision: 2,
              content: 'signed revision 2',
              updatedAt: h.clock.now().toISOString(),
            },
            'accounts',
          ),
        {},
      ],
      ['LICENSE_FILE_EXPIRED', async () => undefined, { expiresAt: '2020-06-05T00:00:00.000Z' }],
      ['SUBSCRIPTION_INACTIVE', async () => undefined, { licenseModel: 'PERPETUAL' }],
      [
        'ACCOUNT_ON_HOLD',
        async (server) => {
          await h.gql(
            HOLD,
            { accountId: server.accountId, reason: 'usage uploads MISSING past the deadline' },
            licensingAdmin,
          );
        },
        {},
      ],
    ];

    it.each(cases)('%s', async (reason, arrange, terms) => {
      const server = await serverAt('2020-06-10T00:00:00.000Z', terms);
      await arrange(server);
      const answer = await checkIn(server);
      expect(answer).toMatchObject({
        stage: 2,
        lastGoodCheckIn: null,
        goodStanding: false,
        standingRefusal: { code: 'NOT_IN_GOOD_STANDING', reason },
      });
      expect(answer.standingRefusal?.message).toEqual(expect.any(String));
      expect(await status(server)).toMatchObject({
        stage: 2,
        goodStanding: false,
        standingRefusal: { reason },
      });
      expect(await checkIns(server)).toEqual([
        expect.objectContaining({ kind: 'PERIODIC', success: false, reason, reportedSuccess: null }),
      ]);
      expect(await history(server)).toEqual([expect.objectContaining({ from: 1, to: 2 })]);
    });

    it('NO_LICENSE_FILE: a server with no file loaded', async () => {
      const server = await h.registerServer();
      const token = await h.token(['SERVER'], { serverId: server.serverId });
      const answer = await checkIn({ ...server, token });
      expect(answer).toMatchObject({ goodStanding: false, standingRefusal: { reason: 'NO_LICENSE_FILE' } });
    });
  });

  it('the current revision loaded after an update is in good standing again', async () => {
    const server = await serverAt('2020-06-10T00:00:00.000Z');
    const update = {
      fileId: server.fileId,
      accountId: server.accountId,
      revision: 2,
      content: 'signed revision 2',
      updatedAt: h.clock.now().toISOString(),
    };
    await h.publish(Topics.ActivationFileUpdated, update, 'accounts');
    expect((await checkIn(server)).goodStanding).toBe(false);
    // Replayed (and an older revision's event late): the current revision stays 2.
    await h.publish(Topics.ActivationFileUpdated, update, 'accounts');
    await h.publish(Topics.ActivationFileUpdated, { ...update, revision: 1 }, 'accounts');
    await h.loadLicense(server, { fileId: server.fileId, revision: 2 });
    h.clock.set('2020-06-10T01:00:00.000Z');
    expect(await checkIn(server)).toMatchObject({ stage: 1, goodStanding: true });
  });

  it('hold and lift: licensing administrators only, with who, when and why; the account sees its holds', async () => {
    const server = await serverAt('2020-06-10T00:00:00.000Z');
    const customerAdmin = await h.token(['CUSTOMER_ADMIN'], { accountId: server.accountId });
    const stranger = await h.token(['CUSTOMER_ADMIN'], { accountId: randomUUID() });
    const hold = { accountId: server.accountId, reason: 'usage uploads MISSING past the deadline' };

    expect(await gqlErrorCode(h, HOLD, hold, customerAdmin)).toBe('FORBIDDEN');
    expect(await gqlErrorCode(h, HOLD, hold, server.token)).toBe('FORBIDDEN');
    expect(await gqlErrorCode(h, HOLD, { ...hold, accountId: randomUUID() }, licensingAdmin)).toBe(
      'NOT_FOUND',
    );
    for (const reason of ['', '   ', 'a\u0000b', 'line\nbreak', 'x\u202Ey', 'r'.repeat(501)])
      expect(await gqlErrorCode(h, HOLD, { ...hold, reason }, licensingAdmin)).toBe('BAD_USER_INPUT');
    expect(await gqlErrorCode(h, LIFT, { accountId: server.accountId }, licensingAdmin)).toBe(
      'BAD_USER_INPUT',
    );

    const { placeAccountOnHold } = await h.gql<{ placeAccountOnHold: unknown }>(HOLD, hold, licensingAdmin);
    expect(placeAccountOnHold).toEqual({
      ...hold,
      placedBy: 'admin-ada',
      placedAt: '2020-06-10T00:00:00.000Z',
      inForce: true,
    });
    expect(await gqlErrorCode(h, HOLD, hold, licensingAdmin)).toBe('BAD_USER_INPUT');
    expect((await checkIn(server)).standingRefusal?.message).toContain(
      'usage uploads MISSING past the deadline',
    );

    h.clock.set('2020-06-10T02:00:00.000Z');
    expect(await gqlErrorCode(h, LIFT, { accountId: server.accountId }, customerAdmin)).toBe('FORBIDDEN');
    const { liftAccountHold } = await h.gql<{ liftAccountHold: unknown }>(
      LIFT,
      { accountId: server.accountId, note: 'uploads received' },
      licensingAdmin,
    );
    expect(liftAccountHold).toEqual({
      reason: hold.reason,
      inForce: false,
      liftedBy: 'admin-ada',
      liftedAt: '2020-06-10T02:00:00.000Z',
      liftNote: 'uploads received',
    });
    expect(await checkIn(server)).toMatchObject({ stage: 1, goodStanding: true });

    const { accountHolds } = await h.gql<{ accountHolds: unknown }>(
      HOLDS,
      { accountId: server.accountId },
      customerAdmin,
    );
    expect(accountHolds).toEqual([
      { reason: hold.reason, inForce: false, placedBy: 'admin-ada', liftedBy: 'admin-ada' },
    ]);
    expect(await gqlErrorCode(h, HOLDS, { accountId: server.accountId }, stranger)).toBe('FORBIDDEN');
  });

  it('a manual override: licensing administrators only, recorded with who and why in the check-ins and the history', async () => {
    const server = await serverAt('2020-07-10T00:00:00.000Z');
    await h.gql(HOLD, { accountId: server.accountId, reason: 'audit' }, licensingAdmin);
    const customerAdmin = await h.token(['CUSTOMER_ADMIN'], { accountId: server.accountId });
    const vars = { serverId: server.serverId, reason: 'cloud outage on 2020-07-09, ticket 4711' };
    expect(await gqlErrorCode(h, OVERRIDE, vars, customerAdmin)).toBe('FORBIDDEN');
    expect(await gqlErrorCode(h, OVERRIDE, vars, server.token)).toBe('FORBIDDEN');
    expect(await gqlErrorCode(h, OVERRIDE, { ...vars, reason: ' ' }, licensingAdmin)).toBe('BAD_USER_INPUT');
    expect(await gqlErrorCode(h, OVERRIDE, { ...vars, serverId: randomUUID() }, licensingAdmin)).toBe(
      'NOT_FOUND',
    );
    expect((await status(server))['stage']).toBe(6);

    // Supervisors watching the server see who restored its standing, and why, as it happens.
    const supervisor = await h.token(['SUPERVISOR'], { accountId: server.accountId });
    const client = wsClient(h.handle.url, supervisor);
    const live = subscribe<{ enforcementStageChanged: unknown }>(
      client,
      `subscription($serverId: ID) { enforcementStageChanged(serverId: $serverId) { from to cause by reason } }`,
      { serverId: server.serverId },
    );
    await h.listening(1);

    const { overrideGoodStanding } = await h.gql<{ overrideGoodStanding: unknown }>(
      OVERRIDE,
      vars,
      licensingAdmin,
    );
    expect(overrideGoodStanding).toEqual({ stage: 1, goodStanding: true });
    expect((await history(server)).at(-1)).toEqual({
      from: 6,
      to: 1,
      cause: 'OVERRIDE',
      by: 'admin-ada',
      reason: vars.reason,
    });
    expect((await checkIns(server))[0]).toMatchObject({
      kind: 'OVERRIDE',
      success: true,
      by: 'admin-ada',
      note: vars.reason,
      occurredAt: '2020-07-10T00:00:00.000Z',
    });
    const events = (await h.outboxStageChanges()).filter((e) => e['serverId'] === server.serverId);
    expect(events.at(-1)).toMatchObject({
      from: 6,
      to: 1,
      cause: 'OVERRIDE',
      callPortLimit: null,
      by: 'admin-ada',
      reason: vars.reason,
    });
    // The transitions time brought before it are nobody's doing.
    expect(events.filter((e) => e['by'] !== undefined)).toHaveLength(1);
    try {
      expect((await live.next(1)).data?.enforcementStageChanged).toEqual({
        from: 6,
        to: 1,
        cause: 'OVERRIDE',
        by: 'admin-ada',
        reason: vars.reason,
      });
    } finally {
      live.close();
      await client.dispose();
    }
  });

  it('replays: the same check-in twice is one row; asked again once the hold is lifted it is upgraded to good standing', async () => {
    const server = await serverAt('2020-06-10T00:00:00.000Z');
    await h.gql(HOLD, { accountId: server.accountId, reason: 'audit' }, licensingAdmin);
    const at = '2020-06-09T12:00:00.000Z';
    expect((await checkIn(server, { occurredAt: at })).goodStanding).toBe(false);
    expect((await checkIn(server, { occurredAt: at })).goodStanding).toBe(false);
    expect(await checkIns(server)).toHaveLength(1);
    await h.gql(LIFT, { accountId: server.accountId }, licensingAdmin);
    expect(await checkIn(server, { occurredAt: at })).toMatchObject({ stage: 1, goodStanding: true });
    expect(await checkIns(server)).toEqual([
      expect.objectContaining({ success: true, reason: null, occurredAt: at }),
    ]);
    // A replayed deactivation event changes nothing more than the first.
    await deactivate(server, '2020-06-10T00:00:00.000Z');
    await deactivate(server, '2020-06-10T00:00:00.000Z');
    expect(await status(server)).toMatchObject({
      stage: 1,
      standingRefusal: { reason: 'LICENSE_FILE_DEACTIVATED' },
    });
  });

  it('a start-up without good standing warns at once; with it, the start counts as a good check-in', async () => {
    const server = await serverAt('2020-06-03T00:00:00.000Z');
    expect(await status(server)).toMatchObject({
      stage: 1,
      warning: 'NONE',
      startedWithoutGoodStanding: false,
    });
    await h.gql(HOLD, { accountId: server.accountId, reason: 'audit' }, licensingAdmin);

    h.clock.set('2020-06-03T01:00:00.000Z');
    await h.startServer(server, { checkInSucceeded: true });
    expect(await status(server)).toMatchObject({
      stage: 1,
      warning: 'STATUS_BAR',
      startedWithoutGoodStanding: true,
      standingRefusal: { reason: 'ACCOUNT_ON_HOLD' },
    });
    expect((await checkIns(server))[0]).toMatchObject({
      kind: 'STARTUP',
      success: false,
      reason: 'ACCOUNT_ON_HOLD',
      reportedSuccess: true,
    });

    await h.gql(LIFT, { accountId: server.accountId }, licensingAdmin);
    h.clock.set('2020-06-09T00:00:00.000Z');
    await h.handle.scheduler.tick();
    expect((await status(server))['stage']).toBe(2);
    await h.startServer(server, { switchover: true });
    expect(await status(server)).toMatchObject({
      stage: 1,
      warning: 'NONE',
      startedWithoutGoodStanding: false,
      goodStanding: true,
    });
    expect((await checkIns(server))[0]).toMatchObject({ kind: 'SWITCHOVER', success: true, reason: null });
  });
});
