import { readFileSync } from 'node:fs';
import { Topics } from '@lic/shared';
import { join } from 'node:path';
import {
  type MatrixRole,
  describeEachDatabase,
  eventually,
  graphqlRequest,
  matrixKeys,
  runIsolationMatrix,
  runOwnTenantReads,
  allocationMatrix,
} from '@lic/testing';
import { Harness, type TestServer } from '../../test/harness.js';

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
  let a: Tenant;
  let b: Tenant;
  const tokens: Partial<Record<MatrixRole, string>> = {};
  /** Tokens that name B's server beside a person's role: `serverId` counts for a machine only. */
  const extra: Record<string, string> = {};

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
    a = await tenant('a-server', 'acc-a');
    b = await tenant('b-server', 'acc-b');
    tokens.LICENSING_ADMIN = h.admin;
    tokens.PARTNER = await h.token(['PARTNER'], { accountId: 'acc-partner', sub: 'partner' });
    tokens.CUSTOMER_ADMIN = await h.token(['CUSTOMER_ADMIN'], { accountId: 'acc-a', sub: 'a-admin' });
    tokens.SUPERVISOR = await h.token(['SUPERVISOR'], { accountId: 'acc-a', sub: 'a-supervisor' });
    tokens.SERVER = await h.machine(a.server.id);
    extra['CUSTOMER_ADMIN naming B’s server'] = await h.token(['CUSTOMER_ADMIN'], {
      accountId: 'acc-a',
      serverId: b.server.id,
      sub: 'a-admin',
    });
    extra['SERVER and SUPERVISOR mixed'] = await h.token(['SERVER', 'SUPERVISOR'], {
      accountId: 'acc-a',
      serverId: b.server.id,
      sub: 'mixed',
    });
  });
  afterAll(() => h.close());

  it('covers every root field, entity and subscription, and leaks nothing of tenant B', async () => {
    const sdl = readFileSync(join(__dirname, '..', '..', 'schema.graphql'), 'utf8');
    const entries = allocationMatrix({
      serverId: b.server.id,
      accountId: b.server.accountId,
      installSiteId: b.server.installSiteId,
      userId: b.userId,
      stationId: b.stationId,
      licenseFileContent: h.licenseFile(b.server, KEYS),
    });
    expect(Object.keys(entries).sort()).toEqual(matrixKeys(sdl));
    const problems = await runIsolationMatrix({
      url: h.url,
      entries,
      tokens,
      extra,
      markers: [b.server.id, b.userId, b.stationId, 'b-server'],
    });
    expect(problems).toEqual([]);
  });

  it('answers the own tenant’s administrator, supervisor and machine with their own server', async () => {
    const own = allocationMatrix({
      serverId: a.server.id,
      accountId: a.server.accountId,
      installSiteId: a.server.installSiteId,
      userId: a.userId,
      stationId: a.stationId,
      licenseFileContent: h.licenseFile(a.server, KEYS),
    });
    const markers = [a.server.id, a.userId, a.stationId];
    const people = { CUSTOMER_ADMIN: tokens.CUSTOMER_ADMIN!, SUPERVISOR: tokens.SUPERVISOR! };
    // A machine sees its own server, never its account's account-wide caps.
    const serverReads = Object.fromEntries(
      Object.entries(own).filter(([key]) => key !== 'Query.accountLicenseCaps'),
    );
    const problems = [
      ...(await runOwnTenantReads({ url: h.url, entries: own, tokens: people, markers })),
      ...(await runOwnTenantReads({
        url: h.url,
        entries: serverReads,
        tokens: { SERVER: tokens.SERVER! },
        markers,
      })),
    ];
    expect(problems).toEqual([]);
  });

  it('answers a partner about the servers of the account it sold to, until it no longer does', async () => {
    const entries = allocationMatrix({
      serverId: b.server.id,
      accountId: b.server.accountId,
      installSiteId: b.server.installSiteId,
      userId: b.userId,
      stationId: b.stationId,
      licenseFileContent: h.licenseFile(b.server, KEYS),
    });
    const partner = await h.token(['PARTNER'], { accountId: 'acc-b-partner', sub: 'b-partner' });
    const sees = async () => {
      const answer = await graphqlRequest<{ server: { id: string } | null }>(
        h.url,
        'query($id: ID!) { server(id: $id) { id } }',
        { id: b.server.id },
        partner,
      );
      return answer.data?.server?.id === b.server.id;
    };
    expect(await sees()).toBe(false);
    // The accounts subgraph announces whom the partner sold to.
    const announce = (customerAccountIds: string[], asOf: string) =>
      h.publish(Topics.PartnerCustomersChanged, {
        partnerAccountId: 'acc-b-partner',
        customerAccountIds,
        asOf,
      });
    await announce([b.server.accountId], '2020-05-01T00:00:00.000Z');
    await eventually(sees, 5000);
    const problems = await runOwnTenantReads({
      url: h.url,
      entries,
      tokens: { 'PARTNER of B': partner },
      markers: [b.server.id, b.userId, b.stationId],
    });
    expect(problems).toEqual([]);
    // A customer it no longer sold to disappears; the partner that sold nothing still sees nothing.
    await announce([], '2020-05-02T00:00:00.000Z');
    await eventually(async () => !(await sees()), 5000);
    expect(
      await runIsolationMatrix({
        url: h.url,
        entries,
        tokens: { PARTNER: partner },
        markers: [b.server.id, b.userId, b.stationId, 'b-server'],
      }),
    ).toEqual([]);
  });
});
