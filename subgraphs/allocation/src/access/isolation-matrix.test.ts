import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type MatrixEntry,
  type MatrixRole,
  describeEachDatabase,
  entityOperation,
  matrixKeys,
  runIsolationMatrix,
} from '@lic/shared/testing';
import { Harness, type TestServer } from '../testing/harness.js';

const KEYS = { I3_ACCESS_CLIENT: 5, I3_LICENSE_BASIC_STATION: 5 };

interface Tenant {
  server: TestServer;
  userId: string;
  stationId: string;
}

/**
 * The tenant-isolation matrix of the allocation subgraph: every root field, entity and
 * subscription of its printed schema, aimed at tenant B's server, for every role of tenant A (its
 * machine included), a partner that sold nothing here, and no token. Zero leaks is the bar.
 */
describeEachDatabase('allocation tenant-isolation matrix', (database) => {
  let h: Harness;
  let b: Tenant;
  const tokens: Partial<Record<MatrixRole, string>> = {};

  async function tenant(name: string, accountId: string): Promise<Tenant> {
    const server = await h.registerServer(name, { accountId, installSiteId: `${name}-site` });
    await h.load(server, KEYS);
    const userId = await h.createUser(server, ['I3_ACCESS_CLIENT'], 'ASSIGNED', `${name}-user`);
    const stationId = await h.createStation(
      server,
      ['I3_LICENSE_BASIC_STATION'],
      'WORKSTATION',
      `${name}-station`,
    );
    await h.logon(server, { userId, stationId });
    return { server, userId, stationId };
  }

  beforeAll(async () => {
    h = await Harness.start({ database });
    const a = await tenant('a-server', 'acc-a');
    b = await tenant('b-server', 'acc-b');
    tokens.LICENSING_ADMIN = h.admin;
    tokens.PARTNER = await h.token(['PARTNER'], { accountId: 'acc-partner', sub: 'partner' });
    tokens.CUSTOMER_ADMIN = await h.token(['CUSTOMER_ADMIN'], { accountId: 'acc-a', sub: 'a-admin' });
    tokens.SUPERVISOR = await h.token(['SUPERVISOR'], { accountId: 'acc-a', sub: 'a-supervisor' });
    tokens.SERVER = await h.machine(a.server.id);
  });
  afterAll(() => h.close());

  function matrix(): Record<string, MatrixEntry> {
    const serverId = b.server.id;
    const read = (
      query: string,
      variables: Record<string, unknown>,
      adminSees: MatrixEntry['adminSees'] = true,
    ): MatrixEntry => ({
      foreign: { query, variables },
      adminSees,
    });
    const m = (query: string, variables: Record<string, unknown>): MatrixEntry => ({
      foreign: { query, variables },
    });
    return {
      'Query.accountLicenseCaps': read(
        'query($id: ID!) { accountLicenseCaps(accountId: $id) { accountId key cap } }',
        { id: 'acc-b' },
        'answers',
      ),
      'Query.server': read('query($id: ID!) { server(id: $id) { id name } }', { id: serverId }),
      'Query.sessions': read(
        'query($id: ID!) { sessions(serverId: $id, activeOnly: false, limit: 10) { id userId } }',
        { id: serverId },
      ),
      'Query.station': read('query($id: ID!) { station(id: $id) { id name } }', { id: b.stationId }),
      'Query.stations': read('query($id: ID!) { stations(serverId: $id) { id name } }', { id: serverId }),
      'Query.licenseStatistics': read(
        'query($id: ID!) { licenseStatistics(serverId: $id) { key concurrentInUse } }',
        { id: serverId },
        'answers',
      ),
      'Query.licenseDenials': read(
        'query($id: ID!) { licenseDenials(serverId: $id) { id serverId } }',
        { id: serverId },
        'answers',
      ),
      'Query.cicUser': read('query($id: ID!) { cicUser(id: $id) { id name } }', { id: b.userId }),
      'Query.cicUsers': read('query($id: ID!) { cicUsers(serverId: $id) { id name } }', { id: serverId }),
      'Mutation.openCall': m('mutation($id: ID!) { openCall(serverId: $id, callId: "c-1") { serverId } }', {
        id: serverId,
      }),
      'Mutation.closeCall': m('mutation($id: ID!) { closeCall(serverId: $id, callId: "c-1") { serverId } }', {
        id: serverId,
      }),
      'Mutation.loadLicenseFile': m(
        'mutation($id: ID!, $content: String!) { loadLicenseFile(serverId: $id, content: $content) { id } }',
        { id: serverId, content: h.licenseFile(b.server, KEYS) },
      ),
      'Mutation.setAccountLicenseCap': m(
        'mutation { setAccountLicenseCap(accountId: "acc-b", key: "I3_ACCESS_CLIENT", cap: 1) { accountId } }',
        {},
      ),
      'Mutation.registerServer': m(
        'mutation($input: RegisterServerInput!) { registerServer(input: $input) { id } }',
        { input: { accountId: 'acc-b', installSiteId: 'b-server-site', name: 'intruder' } },
      ),
      'Mutation.issueServerCredential': m(
        'mutation($id: ID!) { issueServerCredential(serverId: $id) { serverId token } }',
        { id: serverId },
      ),
      'Mutation.heartbeat': m('mutation($id: ID!) { heartbeat(serverId: $id) }', { id: serverId }),
      'Mutation.logon': m('mutation($input: LogonInput!) { logon(input: $input) { session { id } } }', {
        input: { serverId, userId: b.userId, stationId: b.stationId, application: 'Interaction Connect' },
      }),
      'Mutation.logoff': m('mutation($input: LogoffInput!) { logoff(input: $input) { ended } }', {
        input: { serverId, userId: b.userId, application: 'Interaction Connect' },
      }),
      'Mutation.reportServerStarted': m(
        'mutation($id: ID!) { reportServerStarted(serverId: $id, switchover: false) { id } }',
        { id: serverId },
      ),
      'Mutation.createStation': m(
        'mutation($input: CreateStationInput!) { createStation(input: $input) { id } }',
        {
          input: { serverId, name: 'intruder', kind: 'WORKSTATION', licenses: [] },
        },
      ),
      'Mutation.setStationLicenses': m(
        'mutation($id: ID!) { setStationLicenses(stationId: $id, licenses: []) { id } }',
        { id: b.stationId },
      ),
      'Mutation.deleteStation': m('mutation($id: ID!) { deleteStation(id: $id) }', { id: b.stationId }),
      'Mutation.createCicUser': m(
        'mutation($input: CreateCicUserInput!) { createCicUser(input: $input) { id } }',
        {
          input: { serverId, name: 'intruder', allocationMethod: 'CONCURRENT', licenses: [] },
        },
      ),
      'Mutation.setUserLicenses': m(
        'mutation($id: ID!) { setUserLicenses(userId: $id, licenses: []) { id } }',
        {
          id: b.userId,
        },
      ),
      'Mutation.setUserMediaTypes': m(
        'mutation($id: ID!) { setUserMediaTypes(userId: $id, queuedMediaTypes: []) { id } }',
        { id: b.userId },
      ),
      'Mutation.deleteCicUser': m('mutation($id: ID!) { deleteCicUser(id: $id) }', { id: b.userId }),
      'Subscription.licenseStatisticsChanged': m(
        'subscription($id: ID!) { licenseStatisticsChanged(serverId: $id) { server { id name } statistics { key } } }',
        { id: serverId },
      ),
      'Entity.Server': { foreign: entityOperation('Server', { id: serverId }, 'id name'), adminSees: true },
      'Entity.CicUser': { foreign: entityOperation('CicUser', { id: b.userId }, 'id name'), adminSees: true },
      'Entity.Station': {
        foreign: entityOperation('Station', { id: b.stationId }, 'id name'),
        adminSees: true,
      },
      // Accounts owns Account; the servers allocation adds to it are the policy's to filter.
      'Entity.Account': {
        foreign: entityOperation('Account', { id: 'acc-b' }, 'id servers { id name }'),
        answer: 'own-only',
        adminSees: true,
      },
    };
  }

  it('covers every root field, entity and subscription, and leaks nothing of tenant B', async () => {
    const sdl = readFileSync(join(__dirname, '..', '..', 'schema.graphql'), 'utf8');
    const entries = matrix();
    expect(Object.keys(entries).sort()).toEqual(matrixKeys(sdl));
    const problems = await runIsolationMatrix({
      url: h.url,
      entries,
      tokens,
      markers: [b.server.id, b.userId, b.stationId, 'b-server'],
    });
    expect(problems).toEqual([]);
  });
});
