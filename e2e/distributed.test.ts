import { randomBytes } from 'node:crypto';
import { GatewaySigner, dropMariadbDatabases } from '@lic/shared';
import {
  TEST_MARIADB_URL,
  TEST_REDIS_URL,
  eventually,
  graphqlRequest,
  tokenFor,
  testEnvironment,
  unsignedGraphqlRequest,
  wsClient,
} from '@lic/testing';
import {
  CreateAccountDocument,
  PlatformOverviewDocument,
  RegisterServerDocument,
} from './__generated__/graphql.js';
import { execute, freePort, startProcess, type RunningProcess } from './helpers.js';

/** Five separate processes on MariaDB and Redis, as docker-compose.yml runs them. */
describe('distributed mode (five processes, MariaDB, Redis)', () => {
  const prefix = `lice2e_${randomBytes(4).toString('hex')}`;
  const processes: RunningProcess[] = [];
  let gatewayUrl: string;
  let env: Record<string, string>;
  const names = ['accounts', 'allocation', 'billing', 'enforcement'] as const;
  let ports: Record<(typeof names)[number], number>;
  // As docker-compose.yml passes it to every service: subgraphs answer only requests signed with it.
  const subgraphSecret = randomBytes(32).toString('hex');

  beforeAll(async () => {
    ports = Object.fromEntries(
      await Promise.all(names.map(async (n) => [n, await freePort()] as const)),
    ) as typeof ports;
    const gatewayPort = await freePort();
    env = {
      DATABASE_URL: TEST_MARIADB_URL,
      DATABASE_PREFIX: prefix,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: `${prefix}:`,
      LOG_LEVEL: 'warn',
      OUTBOX_POLL_MS: '100',
      SUBGRAPH_SECRET: subgraphSecret,
      GATEWAY_PORT: String(gatewayPort),
      ...Object.fromEntries(names.map((n) => [`${n.toUpperCase()}_PORT`, String(ports[n])])),
      ...Object.fromEntries(
        names.map((n) => [`${n.toUpperCase()}_URL`, `http://127.0.0.1:${ports[n]}/graphql`]),
      ),
    };
    processes.push(
      ...(await Promise.all(
        names.map((n) => startProcess(['scripts/dist/service.js', n], env, /"msg":"ready"/, 60_000)),
      )),
    );
    processes.push(await startProcess(['scripts/dist/service.js', 'gateway'], env, /"msg":"ready"/, 60_000));
    gatewayUrl = `http://127.0.0.1:${gatewayPort}/graphql`;
  });

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await dropMariadbDatabases(TEST_MARIADB_URL, prefix);
  });

  it('a query through the gateway spans all four subgraphs, with events crossing Redis Streams', async () => {
    const { config } = testEnvironment();
    const admin = await tokenFor(config, { roles: ['LICENSING_ADMIN'], certified: true });
    const garn = `GARN-${randomBytes(3).toString('hex')}`;
    const { createAccount } = await execute(
      gatewayUrl,
      CreateAccountDocument,
      { input: { name: 'Distributed Ltd', garn, kind: 'CUSTOMER' } },
      admin,
    );
    const { registerServer } = await execute(
      gatewayUrl,
      RegisterServerDocument,
      { input: { accountId: createAccount.id, installSiteId: createAccount.id, name: 'dist-cic-1' } },
      admin,
    );
    // Enforcement learns of the server from allocation's event (outbox -> Redis Stream -> consumer).
    await eventually(async () => {
      const res = await graphqlRequest(
        gatewayUrl,
        `query($id: ID!) { enforcementStatus(serverId: $id) { stage } }`,
        { id: registerServer.id },
        admin,
      );
      return res.data ? true : undefined;
    }, 15_000);

    const { accounts } = await execute(gatewayUrl, PlatformOverviewDocument, {}, admin);
    const account = accounts.find((a) => a.id === createAccount.id)!;
    expect(account).toMatchObject({ name: 'Distributed Ltd', garn: garn.toUpperCase(), kind: 'CUSTOMER' });
    expect(account.servers).toEqual([
      {
        id: registerServer.id,
        name: 'dist-cic-1',
        enforcementStatus: { applicable: false, stage: 1, stageName: 'FULLY_FUNCTIONAL' },
      },
    ]);
    expect(new Date(account.currentBillingPeriod!.start).getUTCDate()).toBe(28);

    const ready = await fetch(gatewayUrl.replace('/graphql', '/readyz'));
    expect(ready.status).toBe(200);
  });

  it('another tenant sees none of it', async () => {
    const { config } = testEnvironment();
    const supervisor = await tokenFor(config, { roles: ['SUPERVISOR'], accountId: 'someone-else' });
    const { accounts } = await execute(gatewayUrl, PlatformOverviewDocument, {}, supervisor);
    expect(accounts).toEqual([]);
  });

  /**
   * Issue 15, hole 1: "Subgraphs trust whoever reaches them ... In docker-compose every subgraph
   * listens on the shared network." A request that did not come from the gateway is refused by the
   * subgraph process itself, while the same request through the gateway is answered.
   */
  it('a subgraph refuses a request that did not come through the gateway; the gateway is answered', async () => {
    const { config } = testEnvironment();
    const admin = await tokenFor(config, { roles: ['LICENSING_ADMIN'], certified: true });
    await execute(
      gatewayUrl,
      CreateAccountDocument,
      {
        input: { name: 'Gateway Only Ltd', garn: `GARN-${randomBytes(3).toString('hex')}`, kind: 'CUSTOMER' },
      },
      admin,
    );
    const query = '{ accounts { id name } }';
    const through = await graphqlRequest<{ accounts: unknown[] }>(gatewayUrl, query, {}, admin);
    expect(through.errors).toBeUndefined();
    expect(through.data?.accounts.length).toBeGreaterThan(0);

    const accountsUrl = `http://127.0.0.1:${ports.accounts}/graphql`;
    const direct = await unsignedGraphqlRequest(accountsUrl, query, {}, admin);
    expect(direct.data ?? null).toBeNull();
    expect(direct.errors?.[0]?.extensions).toMatchObject({
      code: 'UNAUTHENTICATED',
      reason: 'gateway.signature.missing',
    });
    // Signed, but not with this deployment's secret (the development one every test shares).
    const forged = await graphqlRequest(accountsUrl, query, {}, admin);
    expect(forged.errors?.[0]?.extensions?.['reason']).toBe('gateway.signature.invalid');
    // With the deployment's secret the subgraph answers: it is the signature that decides.
    const signed = await graphqlRequest<{ accounts: unknown[] }>(
      accountsUrl,
      query,
      {},
      admin,
      new GatewaySigner(subgraphSecret),
    );
    expect(signed.data?.accounts).toEqual(through.data?.accounts);

    // graphql-ws straight to a subgraph, a valid user token but no signature: the connection is refused.
    const client = wsClient(`http://127.0.0.1:${ports.allocation}/graphql`, admin, null);
    const closed = await new Promise<unknown>((resolve) => {
      client.subscribe(
        { query: 'subscription { licenseStatisticsChanged(serverId: "x") { version } }' },
        {
          next: () => resolve('next'),
          error: (error: unknown) => resolve((error as { code?: number }).code),
          complete: () => resolve('complete'),
        },
      );
    });
    expect(closed).toBe(4403);
    await client.dispose();
    // Health stays open for orchestrators.
    expect((await fetch(`http://127.0.0.1:${ports.accounts}/healthz`)).status).toBe(200);
  });
});
