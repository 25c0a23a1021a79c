import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GatewaySigner } from '@lic/shared';
import {
  TEST_REDIS_URL,
  deleteRedisKeys,
  eventually,
  graphqlData,
  testEnvironment,
  tokenFor,
} from '@lic/testing';
import { freePort, startProcess, type RunningProcess } from './helpers.js';
import { TcpProxy } from './tcp-proxy.js';

const HOLD = 'mutation($id: ID!) { placeAccountOnHold(accountId: $id, reason: "crash test") { accountId } }';
const LOG = `query($id: ID!) { auditLog(accountId: $id) { edges { node { field requestId outcome service } } } }`;

/**
 * An audit entry is written to the subgraph's outbox in its own committed transaction before the
 * answer goes back. Here the enforcement process answers a mutation while it cannot reach Redis
 * (the entry stays in its outbox), is killed with SIGKILL, and started again: the entry reaches
 * the audit log in the accounts process.
 */
describe('an audit entry survives a crash between commit and publish', () => {
  const prefix = `licaudit_${randomBytes(4).toString('hex')}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'lic-audit-crash-'));
  const secret = randomBytes(32).toString('hex');
  const redis = new URL(TEST_REDIS_URL);
  let proxy: TcpProxy;
  let accounts: RunningProcess | undefined;
  let enforcement: RunningProcess | undefined;
  let env: Record<string, string>;
  let enforcementEnv: Record<string, string>;
  let ports: { accounts: number; enforcement: number };

  beforeAll(async () => {
    proxy = await TcpProxy.start({ host: redis.hostname, port: Number(redis.port || 6379) });
    ports = { accounts: await freePort(), enforcement: await freePort() };
    env = {
      NODE_ENV: 'test',
      DATA_DIR: dataDir,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: `${prefix}:`,
      LOG_LEVEL: 'warn',
      OUTBOX_POLL_MS: '100',
      SUBGRAPH_SECRET: secret,
      ACCOUNTS_PORT: String(ports.accounts),
      ENFORCEMENT_PORT: String(ports.enforcement),
    };
    // Enforcement reaches Redis only through the proxy, which the test can take away.
    enforcementEnv = { ...env, REDIS_URL: `redis://127.0.0.1:${proxy.port}` };
    [accounts, enforcement] = await Promise.all([
      startProcess(['scripts/dist/service.js', 'accounts'], env, /"msg":"ready"/, 60_000),
      startProcess(['scripts/dist/service.js', 'enforcement'], enforcementEnv, /"msg":"ready"/, 60_000),
    ]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([accounts?.stop(), enforcement?.stop()]);
    await proxy?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    await deleteRedisKeys(TEST_REDIS_URL, `${prefix}:*`);
  });

  it('is published after the restart and stored once', async () => {
    const { config } = testEnvironment({ env: { SUBGRAPH_SECRET: secret } });
    const signer = new GatewaySigner(secret);
    const admin = await tokenFor(config, { roles: ['LICENSING_ADMIN'], sub: 'crash-admin' });
    const accountId = `acct-${randomBytes(4).toString('hex')}`;
    const requestId = `crash-${randomBytes(4).toString('hex')}`;

    await proxy.stop();
    const body = JSON.stringify({ query: HOLD, variables: { id: accountId } });
    const authorization = `Bearer ${admin}`;
    const res = await fetch(`http://127.0.0.1:${ports.enforcement}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization,
        'x-request-id': requestId,
        'x-client-address': '198.51.100.4',
        ...signer.headers({
          method: 'POST',
          path: '/graphql',
          authorization,
          body,
          requestId,
          clientAddress: '198.51.100.4',
        }),
      },
      body,
    });
    expect(res.status).toBe(200);
    const accountsUrl = `http://127.0.0.1:${ports.accounts}/graphql`;
    const log = async () =>
      (
        await graphqlData<{ auditLog: { edges: Array<{ node: { requestId: string | null } }> } }>(
          accountsUrl,
          LOG,
          { id: accountId },
          admin,
          signer,
        )
      ).auditLog.edges.map((e) => e.node);
    // Committed in enforcement's outbox, not published: the accounts process has not got it.
    await new Promise((r) => setTimeout(r, 1500));
    expect(await log()).toEqual([]);

    const exited = new Promise((r) => enforcement!.child.once('exit', r));
    enforcement!.child.kill('SIGKILL');
    await exited;
    await proxy.start();
    enforcement = await startProcess(
      ['scripts/dist/service.js', 'enforcement'],
      enforcementEnv,
      /"msg":"ready"/,
      60_000,
    );

    const entries = await eventually(async () => {
      const found = await log();
      return found.length > 0 ? found : undefined;
    }, 30_000);
    expect(entries).toEqual([
      expect.objectContaining({ field: 'placeAccountOnHold', requestId, service: 'enforcement' }),
    ]);
  }, 120_000);
});
