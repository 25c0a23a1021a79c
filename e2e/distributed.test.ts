import { randomBytes } from 'node:crypto';
import { dropMariadbDatabases } from '@lic/shared';
import {
  TEST_MARIADB_URL,
  TEST_REDIS_URL,
  eventually,
  graphqlRequest,
  tokenFor,
  testEnvironment,
} from '@lic/shared/testing';
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

  beforeAll(async () => {
    const names = ['accounts', 'allocation', 'billing', 'enforcement'] as const;
    const ports = Object.fromEntries(
      await Promise.all(names.map(async (n) => [n, await freePort()] as const)),
    );
    const gatewayPort = await freePort();
    env = {
      DATABASE_URL: TEST_MARIADB_URL,
      DATABASE_PREFIX: prefix,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: `${prefix}:`,
      LOG_LEVEL: 'warn',
      OUTBOX_POLL_MS: '100',
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
    expect(new Date(account.currentBillingPeriod.start).getUTCDate()).toBe(28);

    const ready = await fetch(gatewayUrl.replace('/graphql', '/readyz'));
    expect(ready.status).toBe(200);
  });

  it('another tenant sees none of it', async () => {
    const { config } = testEnvironment();
    const supervisor = await tokenFor(config, { roles: ['SUPERVISOR'], accountId: 'someone-else' });
    const { accounts } = await execute(gatewayUrl, PlatformOverviewDocument, {}, supervisor);
    expect(accounts).toEqual([]);
  });
});
