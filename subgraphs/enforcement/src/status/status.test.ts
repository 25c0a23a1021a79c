import { describeEachDatabase } from '@lic/testing';
import {
  gqlErrorCode,
  startEnforcement,
  type EnforcementHarness,
  type TestServer,
} from '../../test/harness.js';

const STATUS = `query($serverId: ID!) { enforcementStatus(serverId: $serverId) { stage callPortLimit licensedCallPorts } }`;
const ENTITIES = `query($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Server { id enforcementStatus { applicable stage nextStageAt lastGoodCheckIn } }
  }
}`;
const ENTITIES_AS_OF = `query($representations: [_Any!]!, $asOf: DateTime) {
  _entities(representations: $representations) {
    ... on Server { id enforcementStatus(asOf: $asOf) { stage lastGoodCheckIn } }
  }
}`;

describeEachDatabase('enforcement: status, tenancy and effects', (database) => {
  let h: EnforcementHarness;

  beforeAll(async () => {
    h = await startEnforcement({ database });
  });
  afterAll(async () => {
    await h.close();
  });

  const cloudServer = async (accountId?: string): Promise<TestServer> => {
    h.clock.set('2020-05-01T00:00:00.000Z');
    const server = await h.registerServer(accountId);
    await h.loadLicense(server, { callPorts: 40 });
    return server;
  };

  it('each tenant reads only its own servers', async () => {
    const server = await cloudServer();
    const vars = { serverId: server.serverId };
    const own = await h.token(['SUPERVISOR'], { accountId: server.accountId });
    const other = await h.token(['CUSTOMER_ADMIN'], { accountId: 'another-account' });
    const partner = await h.token(['PARTNER'], { accountId: 'partner-account' });
    const itself = await h.token(['SERVER'], { serverId: server.serverId });
    const anotherServer = await h.token(['SERVER'], {
      serverId: 'another-server',
      accountId: server.accountId,
    });
    expect(
      (await h.gql<{ enforcementStatus: { stage: number } }>(STATUS, vars, own)).enforcementStatus.stage,
    ).toBe(1);
    expect(
      (await h.gql<{ enforcementStatus: { stage: number } }>(STATUS, vars, itself)).enforcementStatus.stage,
    ).toBe(1);
    expect(await gqlErrorCode(h, STATUS, vars, other)).toBe('FORBIDDEN');
    expect(await gqlErrorCode(h, STATUS, vars, partner)).toBe('FORBIDDEN');
    // A machine credential is scoped to its server, even with an accountId claim.
    expect(await gqlErrorCode(h, STATUS, vars, anotherServer)).toBe('FORBIDDEN');
    expect(await gqlErrorCode(h, STATUS, { serverId: 'no-such-server' }, h.adminToken)).toBe('NOT_FOUND');
    expect(
      await gqlErrorCode(
        h,
        `query($serverId: ID!) { enforcementHistory(serverId: $serverId) { to } }`,
        vars,
        other,
      ),
    ).toBe('FORBIDDEN');
    expect(
      await gqlErrorCode(
        h,
        `query($serverId: ID!) { enforcementCheckIns(serverId: $serverId) { kind } }`,
        vars,
        other,
      ),
    ).toBe('FORBIDDEN');
    expect(await gqlErrorCode(h, STATUS, vars, '')).toBe('UNAUTHENTICATED');
  });

  it('a licence reloaded at stage 5 with more call ports raises the limit allocation applies, with no stage change', async () => {
    const server = await cloudServer();
    h.clock.set('2020-07-01T00:00:00.000Z');
    await h.handle.scheduler.tick();
    expect(
      (await h.gql<{ enforcementStatus: unknown }>(STATUS, { serverId: server.serverId })).enforcementStatus,
    ).toEqual({
      stage: 5,
      callPortLimit: 8,
      licensedCallPorts: 40,
    });
    await h.loadLicense(server, { callPorts: 100 });
    expect(
      (await h.gql<{ enforcementStatus: unknown }>(STATUS, { serverId: server.serverId })).enforcementStatus,
    ).toEqual({
      stage: 5,
      callPortLimit: 20,
      licensedCallPorts: 100,
    });
    const events = (await h.outboxStageChanges()).filter((e) => e['serverId'] === server.serverId);
    expect(events.at(-1)).toMatchObject({
      from: 5,
      to: 5,
      callPortLimit: 20,
      supervisorEnabled: false,
      cause: 'LICENSE_LOADED',
    });
    const { enforcementHistory } = await h.gql<{ enforcementHistory: unknown[] }>(
      `query($serverId: ID!) { enforcementHistory(serverId: $serverId) { to } }`,
      { serverId: server.serverId },
    );
    expect(enforcementHistory).toHaveLength(4);
  });

  it('an older licence load delivered late does not replace the newer one', async () => {
    const server = await cloudServer();
    await h.loadLicense(server, {
      virtualCloud: false,
      loadedAt: '2020-05-01T00:00:00.000Z',
      fileId: 'newer',
    });
    await h.loadLicense(server, {
      virtualCloud: true,
      loadedAt: '2020-04-01T00:00:00.000Z',
      fileId: 'older',
    });
    const row = await h.row(server.serverId);
    expect(row).toMatchObject({ applicable: false, licenseFileId: 'newer' });
  });

  it('Server.enforcementStatus for many servers costs the same statements as for one (DataLoaders)', async () => {
    const accountId = 'n-plus-one-account';
    const servers: TestServer[] = [];
    for (let i = 0; i < 6; i++) servers.push(await cloudServer(accountId));
    h.clock.set('2020-06-10T00:00:00.000Z');
    const serverToken = async (s: TestServer) => h.token(['SERVER'], { serverId: s.serverId });
    for (const s of servers.slice(0, 3)) {
      await h.gql(
        `mutation($id: ID!) { recordCheckIn(serverId: $id, success: true) { stage } }`,
        { id: s.serverId },
        await serverToken(s),
      );
    }
    const supervisor = await h.token(['SUPERVISOR'], { accountId });
    const statements = async (query: string, count: number, variables: Record<string, unknown> = {}) => {
      const representations = servers.slice(0, count).map((s) => ({ __typename: 'Server', id: s.serverId }));
      const { result, sql } = await h.handle.database.statements.measure(() =>
        h.gql<{ _entities: Array<{ id: string; enforcementStatus: { stage: number } }> }>(
          query,
          { representations, ...variables },
          supervisor,
        ),
      );
      expect(result._entities).toHaveLength(count);
      // The outbox relay and event consumers run on their own; only reads of enforcement's tables count.
      return sql.filter((s) => /enforcement_(server|check_in|stage_change)/.test(s)).length;
    };
    const one = await statements(ENTITIES, 1);
    expect(one).toBe(1);
    expect(await statements(ENTITIES, 6)).toBe(one);
    // Asked about the past, the check-ins made by then are read in one batch too.
    const pastOne = await statements(ENTITIES_AS_OF, 1, { asOf: '2020-06-09T00:00:00.000Z' });
    expect(await statements(ENTITIES_AS_OF, 6, { asOf: '2020-06-09T00:00:00.000Z' })).toBe(pastOne);
    const { _entities } = await h.gql<{
      _entities: Array<{ enforcementStatus: { stage: number; lastGoodCheckIn: string | null } }>;
    }>(
      ENTITIES_AS_OF,
      {
        representations: servers.map((s) => ({ __typename: 'Server', id: s.serverId })),
        asOf: '2020-06-09T00:00:00.000Z',
      },
      supervisor,
    );
    expect(_entities.map((e) => e.enforcementStatus)).toEqual(
      servers.map(() => ({ stage: 2, lastGoodCheckIn: null })),
    );
  });

  it('a server enforcement has not heard of is reported as not enforced', async () => {
    const { _entities } = await h.gql<{
      _entities: Array<{ enforcementStatus: { applicable: boolean; stage: number } }>;
    }>(ENTITIES, { representations: [{ __typename: 'Server', id: 'registered-a-moment-ago' }] });
    expect(_entities[0]?.enforcementStatus).toMatchObject({ applicable: false, stage: 1 });
  });
});
