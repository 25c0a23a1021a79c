import { randomUUID } from 'node:crypto';
import { PARTNER_CUSTOMER_ENTITIES, generateSigningKeyPair, openDatabase } from '@lic/shared';
import {
  type TestEnvironment,
  eventually,
  graphqlData,
  graphqlRequest,
  testEnvironment,
  tokenFor,
} from '@lic/testing';
import { seedDemoData, startStack, type Stack } from '@lic/scripts';

interface AccountServers {
  account: {
    servers: Array<{
      id: string;
      statistics: Array<{ key: string; concurrentInUse: number }>;
      enforcementStatus: { applicable: boolean };
      usageTracking: string;
    }>;
  } | null;
}

const ACCOUNT_SERVERS = `query($id: ID!) { account(id: $id) { servers { id
  statistics { key concurrentInUse } enforcementStatus { applicable } usageTracking } } }`;
/** One root field of each subgraph a partner reads about a customer's server. */
const SERVER_READS = {
  licenseStatistics: 'query($s: ID!) { licenseStatistics(serverId: $s) { key concurrentInUse } }',
  cicUsers: 'query($s: ID!) { cicUsers(serverId: $s) { id } }',
  enforcementStatus: 'query($s: ID!) { enforcementStatus(serverId: $s) { applicable stage } }',
  enforcementHistory: 'query($s: ID!) { enforcementHistory(serverId: $s) { to } }',
  usageSessions: 'query($s: ID!) { usageSessions(serverId: $s) { user { id } } }',
};

/**
 * Partners and their customers on the real platform (four subgraphs and the gateway): a partner
 * sees the servers of the accounts it sold to in every subgraph (statistics from allocation,
 * enforcement status, usage from billing), another partner does not, and a subgraph that starts
 * with an empty copy of the relation converges when the accounts subgraph starts.
 */
describe('partners see their customers’ servers in every subgraph (real platform)', () => {
  const keys = generateSigningKeyPair();
  let env: TestEnvironment;
  let stack: Stack;
  let admin: string;
  let acme: { id: string };
  let acmeServer: string;
  let hooli: string;
  let globex: string;
  let initech: { id: string };

  const ask = <T>(query: string, variables: Record<string, unknown>, token: string) =>
    graphqlRequest<T>(stack.gatewayUrl, query, variables, token);
  const codes = (answer: { errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> }) =>
    (answer.errors ?? []).map((e) => e.extensions?.['code']);

  beforeAll(async () => {
    env = testEnvironment({
      env: { LICENSE_SIGNING_PRIVATE_KEY: keys.privateKeyPem, LICENSE_SIGNING_PUBLIC_KEY: keys.publicKeyPem },
    });
    stack = await startStack(env.config);
    admin = await tokenFor(stack.config, { roles: ['LICENSING_ADMIN'], certified: true });
    const seeded = await seedDemoData(stack.gatewayUrl, admin);
    const byName = (name: string) => seeded.accounts.find((a) => a.name.startsWith(name))!;
    acme = byName('Acme');
    initech = byName('Initech');
    const { account } = await graphqlData<{
      account: {
        servers: Array<{ id: string; users: Array<{ id: string }>; stations: Array<{ id: string }> }>;
      };
    }>(
      stack.gatewayUrl,
      'query($id: ID!) { account(id: $id) { servers { id users { id } stations { id } } } }',
      { id: acme.id },
      admin,
    );
    const server = account.servers.find((s) => s.users.length > 0 && s.stations.length > 0)!;
    acmeServer = server.id;
    // Someone logged on at Acme: statistics in use and a tracked usage session to read.
    await graphqlData(
      stack.gatewayUrl,
      'mutation($input: LogonInput!) { logon(input: $input) { session { id } } }',
      {
        input: {
          serverId: server.id,
          userId: server.users[0]!.id,
          stationId: server.stations[0]!.id,
          application: 'Interaction Connect',
        },
      },
      await tokenFor(stack.config, { roles: ['SERVER'], serverId: server.id, sub: 'acme-cic' }),
    );
    const { createAccount } = await graphqlData<{ createAccount: { id: string } }>(
      stack.gatewayUrl,
      'mutation($input: CreateAccountInput!) { createAccount(input: $input) { id } }',
      { input: { name: 'Hooli Resellers', garn: `GARN-${randomUUID().slice(0, 8)}`, kind: 'PARTNER' } },
      admin,
    );
    hooli = await tokenFor(stack.config, { roles: ['PARTNER'], accountId: createAccount.id, sub: 'hooli' });
    // Globex sold to Initech (the demo data), never to Acme.
    globex = await tokenFor(stack.config, {
      roles: ['PARTNER'],
      accountId: byName('Globex').id,
      sub: 'globex',
    });
    // Hooli sells Acme a server item: from now on Acme is Hooli's customer.
    await graphqlData(
      stack.gatewayUrl,
      'mutation($input: CreateSalesOrderInput!) { createSalesOrder(input: $input) { id } }',
      {
        input: {
          endUserAccountId: acme.id,
          soldToAccountId: createAccount.id,
          licenseModel: 'SUBSCRIPTION',
          productVersion: '2020 R2',
          maintenancePaid: true,
          lines: [{ partNumber: 'SW-003-4.0-SV01', assignedQuantity: 1, pooledQuantity: 0 }],
        },
      },
      admin,
    );
  }, 180_000);

  afterAll(async () => {
    await stack?.close();
    await env?.cleanup();
  });

  it('shows a partner its customer’s servers with statistics, enforcement status and usage tracking', async () => {
    const { account } = await eventually(async () => {
      const answer = await ask<AccountServers>(ACCOUNT_SERVERS, { id: acme.id }, hooli);
      const seen = answer.data?.account?.servers.find((s) => s.id === acmeServer);
      return !answer.errors && seen && seen.statistics.length > 0 ? answer.data! : undefined;
    }, 10_000);
    const server = account!.servers.find((s) => s.id === acmeServer)!;
    expect(server.statistics.some((s) => s.concurrentInUse > 0)).toBe(true);
    expect(server.enforcementStatus.applicable).toBe(true);
    expect(server.usageTracking).not.toBe('NONE');

    for (const [field, query] of Object.entries(SERVER_READS)) {
      const answer = await ask<Record<string, unknown>>(query, { s: acmeServer }, hooli);
      expect({ field, errors: answer.errors ?? [] }).toEqual({ field, errors: [] });
      expect(answer.data?.[field]).toBeTruthy();
    }
    const { data } = await ask<{ usageSessions: unknown[]; licenseStatistics: unknown[] }>(
      'query($s: ID!) { usageSessions(serverId: $s) { start } licenseStatistics(serverId: $s) { key } }',
      { s: acmeServer },
      hooli,
    );
    expect(data?.usageSessions.length).toBeGreaterThan(0);
    expect(data?.licenseStatistics.length).toBeGreaterThan(0);
    const period = await graphqlData<{ billingPeriod: { start: string } }>(
      stack.gatewayUrl,
      '{ billingPeriod { start } }',
      {},
      admin,
    );
    const report = await ask<{ usageReport: { accountId: string } }>(
      'query($a: ID!, $p: DateTime!) { usageReport(accountId: $a, periodStart: $p) { accountId } }',
      { a: acme.id, p: period.billingPeriod.start },
      hooli,
    );
    expect(report.errors ?? []).toEqual([]);
    expect(report.data?.usageReport.accountId).toBe(acme.id);
    const holds = await ask(
      'query($a: ID!) { accountHolds(accountId: $a) { reason } }',
      { a: acme.id },
      hooli,
    );
    expect(holds.errors ?? []).toEqual([]);
  });

  it('lets the partner configure its customer as the policy says (a licence cap)', async () => {
    const answer = await ask<{ setAccountLicenseCap: { cap: number } }>(
      'mutation($a: ID!, $k: String!, $c: Int) { setAccountLicenseCap(accountId: $a, key: $k, cap: $c) { cap } }',
      { a: acme.id, k: 'I3_ACCESS_CLIENT', c: 50 },
      hooli,
    );
    expect(answer.errors ?? []).toEqual([]);
    expect(answer.data?.setAccountLicenseCap.cap).toBe(50);
  });

  it('refuses another partner everything of that customer in every subgraph, and shows it its own customer', async () => {
    const account = await ask<AccountServers>(ACCOUNT_SERVERS, { id: acme.id }, globex);
    expect(JSON.stringify(account.data ?? null)).not.toContain(acmeServer);
    for (const [field, query] of Object.entries(SERVER_READS)) {
      const answer = await ask<Record<string, unknown>>(query, { s: acmeServer }, globex);
      expect({ field, codes: codes(answer) }).toEqual({ field, codes: ['FORBIDDEN'] });
    }
    const report = await ask(
      'query($a: ID!) { usageReport(accountId: $a, periodStart: "2026-01-01T00:00:00Z") { accountId } }',
      { a: acme.id },
      globex,
    );
    expect(codes(report)).toEqual(['FORBIDDEN']);
    const cap = await ask(
      'mutation($a: ID!) { setAccountLicenseCap(accountId: $a, key: "I3_ACCESS_CLIENT", cap: 1) { cap } }',
      { a: acme.id },
      globex,
    );
    expect(codes(cap)).toEqual(['FORBIDDEN']);
    // Globex's own customer: its servers, with their enforcement status, through every subgraph.
    const own = await ask<AccountServers>(ACCOUNT_SERVERS, { id: initech.id }, globex);
    expect(own.errors ?? []).toEqual([]);
    expect(own.data?.account?.servers.length).toBeGreaterThan(0);
  });

  it('converges when a subgraph starts with an empty copy: the accounts subgraph announces every partner at start', async () => {
    await stack.close();
    // A new deployment of enforcement (or its copy lost): nothing known of partners there.
    const db = await openDatabase({
      config: env.config,
      name: 'enforcement',
      entities: PARTNER_CUSTOMER_ENTITIES,
      migrations: [],
    });
    await db.dataSource.query('DELETE FROM partner_customer');
    await db.dataSource.query('DELETE FROM partner_customer_set');
    await db.close();
    // A new in-process bus: no event of the first run is carried over.
    stack = await startStack(env.config);
    const status = await eventually(async () => {
      const answer = await ask<{ enforcementStatus: { applicable: boolean } }>(
        SERVER_READS.enforcementStatus,
        { s: acmeServer },
        hooli,
      );
      return answer.errors ? undefined : answer.data;
    }, 10_000);
    expect(status?.enforcementStatus.applicable).toBe(true);
  }, 120_000);
});
