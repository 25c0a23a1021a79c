import { randomBytes } from 'node:crypto';
import { dropMariadbDatabases } from '@lic/shared';
import {
  TEST_MARIADB_URL,
  TEST_REDIS_URL,
  eventually,
  graphqlRequest,
  testEnvironment,
  tokenFor,
} from '@lic/testing';
import { freePort, startProcess, type RunningProcess } from './helpers.js';
import { RoundRobinProxy } from './tcp-proxy.js';

/**
 * A rolling restart of two allocation replicas behind a load balancer, behind the gateway, while
 * clients send reads and writes without pause: each replica in turn is sent SIGTERM, drains, exits
 * and starts again. No request may be dropped.
 */
describe('rolling restart of two allocation replicas behind the gateway', () => {
  const prefix = `licr_${randomBytes(4).toString('hex')}`;
  const processes = new Map<string, RunningProcess>();
  let balancer: RoundRobinProxy;
  let env: Record<string, string>;
  let replicaPorts: number[];
  let gatewayUrl: string;
  let admin: string;

  const start = async (key: string, extra: Record<string, string>) => {
    const name = key.startsWith('allocation') ? 'allocation' : key;
    const started = await startProcess(
      ['scripts/dist/service.js', name],
      { ...env, ...extra },
      /"msg":"ready"/,
      60_000,
    );
    processes.set(key, started);
  };
  const replicaEnv = (i: number) => ({ ALLOCATION_PORT: String(replicaPorts[i]) });

  beforeAll(async () => {
    const [accountsPort, gatewayPort, a, b] = await Promise.all([1, 2, 3, 4].map(() => freePort()));
    replicaPorts = [a!, b!];
    balancer = await RoundRobinProxy.start(replicaPorts);
    env = {
      DATABASE_URL: TEST_MARIADB_URL,
      DATABASE_PREFIX: prefix,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: `${prefix}:`,
      LOG_LEVEL: 'info',
      OUTBOX_POLL_MS: '200',
      SHUTDOWN_GRACE_MS: '5000',
      // The balancer connects to a replica until it stops accepting; requests it already has finish.
      ACCOUNTS_PORT: String(accountsPort),
      GATEWAY_PORT: String(gatewayPort),
      ACCOUNTS_URL: `http://127.0.0.1:${accountsPort}/graphql`,
      ALLOCATION_URL: `http://127.0.0.1:${balancer.port}/graphql`,
    };
    await start('accounts', {});
    await start('allocation-0', replicaEnv(0));
    await start('allocation-1', replicaEnv(1));
    await start('gateway', {});
    gatewayUrl = `http://127.0.0.1:${gatewayPort}/graphql`;
    admin = await tokenFor(testEnvironment().config, { roles: ['LICENSING_ADMIN'], certified: true });
  }, 240_000);

  afterAll(async () => {
    await Promise.all([...processes.values()].map((p) => p.stop()));
    await balancer?.stop();
    await dropMariadbDatabases(TEST_MARIADB_URL, prefix);
  });

  it('drops no request', async () => {
    const garn = `GARN-${randomBytes(3).toString('hex')}`.toUpperCase();
    const account = await graphqlRequest<{ createAccount: { id: string } }>(
      gatewayUrl,
      'mutation($input: CreateAccountInput!) { createAccount(input: $input) { id } }',
      { input: { name: 'Rolling Ltd', garn, kind: 'CUSTOMER' } },
      admin,
    );
    const accountId = account.data!.createAccount.id;
    // Allocation learns of the account and its site from accounts' events.
    const serverId = await eventually(async () => {
      const res = await graphqlRequest<{ registerServer: { id: string } }>(
        gatewayUrl,
        'mutation($input: RegisterServerInput!) { registerServer(input: $input) { id } }',
        { input: { accountId, installSiteId: accountId, name: 'rolling-cic-1' } },
        admin,
      );
      return res.data?.registerServer.id;
    }, 20_000);

    const failures: string[] = [];
    let answered = 0;
    let running = true;
    const worker = async () => {
      for (let i = 0; running; i += 1) {
        // Writes and reads in turn: a heartbeat (a mutation) and the server read back.
        const write = i % 2 === 0;
        const res = await graphqlRequest(
          gatewayUrl,
          write
            ? 'mutation($s: ID!) { heartbeat(serverId: $s) }'
            : 'query($s: ID!) { server(id: $s) { id } }',
          { s: serverId },
          admin,
        ).catch((error: unknown) => ({ errors: [{ message: String(error) }], data: undefined }));
        if (res.errors) failures.push(`${write ? 'write' : 'read'}: ${JSON.stringify(res.errors)}`);
        else answered += 1;
      }
    };
    const workers = Array.from({ length: 4 }, () => worker());
    try {
      await new Promise((r) => setTimeout(r, 1000));
      for (const i of [0, 1]) {
        const replica = processes.get(`allocation-${i}`)!;
        const before = answered;
        await replica.stop();
        expect(replica.child.exitCode).toBe(0);
        expect(replica.output()).toMatch(/shutdown: requests in flight finished/);
        await start(`allocation-${i}`, replicaEnv(i));
        // Requests flowed while this replica was away.
        expect(answered).toBeGreaterThan(before);
        await new Promise((r) => setTimeout(r, 1000));
      }
    } finally {
      running = false;
      await Promise.all(workers);
    }
    expect({ failed: failures.length, first: failures.slice(0, 3) }).toEqual({ failed: 0, first: [] });
    expect(answered).toBeGreaterThan(100);
  });
});
