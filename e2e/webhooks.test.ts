import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import { Webhook } from 'standardwebhooks';
import { mariadbDatabaseName, mariadbConnectionOptions } from '@lic/shared';
import {
  TEST_MARIADB_URL,
  TEST_REDIS_URL,
  eventually,
  graphqlData,
  graphqlRequest,
  seed,
  testEnvironment,
  tokenFor,
} from '@lic/testing';
import { startStack, type Stack } from '@lic/scripts';
import { type RunningProcess, startProcess } from './helpers.js';
import { type Behaviour, WebhookReceiver } from './webhook-receiver.js';

const ENDPOINT_FIELDS = 'id url enabled disabledReason consecutiveFailures eventTypes';
const CREATE = `mutation($input: CreateWebhookEndpointInput!) {
  createWebhookEndpoint(input: $input) { secret endpoint { ${ENDPOINT_FIELDS} } } }`;
const DELIVERIES = `query($id: ID!, $first: Int, $after: String) {
  webhookDeliveries(endpointId: $id, first: $first, after: $after) {
    edges { cursor node { id eventType status attemptCount payload
      attempts { statusCode success latencyMs responseExcerpt error } } }
    pageInfo { hasNextPage endCursor } } }`;

interface Delivery {
  id: string;
  eventType: string;
  status: string;
  attemptCount: number;
  payload: string;
  attempts: Array<{
    statusCode: number | null;
    success: boolean;
    latencyMs: number;
    responseExcerpt: string | null;
  }>;
}

/**
 * Webhooks end to end: the platform (gateway and subgraphs, MariaDB, Redis Streams) in this
 * process without its in-process worker, and two webhook workers as separate processes
 * (`service.js webhooks`), delivering to a local HTTP server.
 */
describe('webhooks (gateway, MariaDB, Redis, two worker processes)', () => {
  const prefix = `lichook_${randomBytes(4).toString('hex')}`;
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'error',
    DATABASE_URL: TEST_MARIADB_URL,
    DATABASE_PREFIX: prefix,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_KEY_PREFIX: `${prefix}:`,
    OUTBOX_POLL_MS: '100',
    WEBHOOK_ALLOW_LOOPBACK: 'true',
    WEBHOOK_RETRY_SCHEDULE_MS: '200,200,200,200,200,200',
    WEBHOOK_TIMEOUT_MS: '8000',
    WEBHOOK_LEASE_MS: '10000',
    WEBHOOK_POLL_MS: '100',
    WEBHOOK_DISABLE_AFTER_FAILURES: '5',
  };
  const workers: RunningProcess[] = [];
  const receiver = new WebhookReceiver();
  let testEnv: ReturnType<typeof testEnvironment>;
  let stack: Stack;
  let url: string;
  let admin: string;
  let accountId: string;
  let siteId: string;

  const startWorker = () =>
    startProcess(['scripts/dist/service.js', 'webhooks'], env, /"msg":"ready"/, 60_000);

  const gql = <T>(query: string, variables: Record<string, unknown> = {}, token = admin) =>
    graphqlData<T>(url, query, variables, token);

  async function createEndpoint(path: string, eventTypes: string[], behaviour: Behaviour = () => 200) {
    const { createWebhookEndpoint } = await gql<{
      createWebhookEndpoint: { secret: string; endpoint: { id: string } };
    }>(CREATE, { input: { accountId, url: receiver.on(path, behaviour), eventTypes } });
    return { id: createWebhookEndpoint.endpoint.id, secret: createWebhookEndpoint.secret };
  }

  async function deliveries(endpointId: string): Promise<Delivery[]> {
    const { webhookDeliveries } = await gql<{ webhookDeliveries: { edges: Array<{ node: Delivery }> } }>(
      DELIVERIES,
      { id: endpointId, first: 200 },
    );
    return webhookDeliveries.edges.map((e) => e.node);
  }

  async function registerServer(name: string): Promise<string> {
    // Allocation learns of the site from accounts' event: retry until it has.
    const made = await seed(gql).use({ accountId, siteId }).server({ name, waitMs: 15_000 });
    return made.serverId;
  }

  function verify(secret: string, body: string, headers: Record<string, unknown>): unknown {
    return new Webhook(secret).verify(body, headers as Record<string, string>);
  }

  beforeAll(async () => {
    await receiver.start();
    testEnv = testEnvironment({ database: 'mariadb', redis: true, env });
    stack = await startStack(testEnv.config, { webhookWorker: false });
    url = stack.gatewayUrl;
    admin = await tokenFor(testEnv.config, { roles: ['LICENSING_ADMIN'] });
    ({ accountId, siteId } = await seed(gql)
      .account({ name: 'Hooks Ltd', garn: `GARN-${randomBytes(3).toString('hex')}` })
      .site());
    workers.push(...(await Promise.all([startWorker(), startWorker()])));
  }, 120_000);

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await stack?.close();
    await receiver.stop();
    await testEnv?.cleanup();
  });

  it('a platform event reaches a local server, signed as Standard Webhooks says, verified by the library', async () => {
    const endpoint = await createEndpoint('/signed', ['SERVER_REGISTERED']);
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const serverId = await registerServer('hooks-cic-1');
    const [request] = await eventually(
      () => receiver.at('/signed').length > 0 && receiver.at('/signed'),
      20_000,
    );
    expect(request?.headers['webhook-id']).toMatch(/^msg_/);
    expect(request?.headers['webhook-timestamp']).toMatch(/^\d+$/);
    expect(request?.headers['webhook-signature']).toMatch(/^v1,/);
    const body = verify(endpoint.secret, request?.body ?? '', request?.headers ?? {}) as {
      type: string;
      data: { serverId: string; accountId: string };
    };
    expect(body.type).toBe('server.registered');
    expect(body.data).toMatchObject({ serverId, accountId });
    // A tampered body or another secret fails verification.
    expect(() => verify(endpoint.secret, `${request?.body ?? ''} `, request?.headers ?? {})).toThrow();
    const other = `whsec_${randomBytes(32).toString('base64')}`;
    expect(() => verify(other, request?.body ?? '', request?.headers ?? {})).toThrow();
    // The delivery log has the attempt.
    const [delivery] = await eventually(async () => {
      const list = await deliveries(endpoint.id);
      return list[0]?.status === 'DELIVERED' && list;
    });
    expect(delivery?.id).toBe(request?.headers['webhook-id']);
    expect(delivery?.attempts).toEqual([
      expect.objectContaining({ statusCode: 200, success: true, responseExcerpt: 'ok' }),
    ]);
  });

  it('retries after the receiver answered 500 three times, every attempt in the delivery log', async () => {
    const endpoint = await createEndpoint('/flaky', ['SERVER_REGISTERED'], () =>
      receiver.at('/flaky').length <= 3 ? 500 : 200,
    );
    await registerServer('hooks-cic-2');
    const [delivery] = await eventually(async () => {
      const list = await deliveries(endpoint.id);
      return list[0]?.status === 'DELIVERED' && list;
    }, 20_000);
    expect(delivery?.attempts.map((a) => a.statusCode)).toEqual([500, 500, 500, 200]);
    expect(delivery?.attempts[0]?.responseExcerpt).toBe('failed with 500');
    const requests = receiver.at('/flaky');
    expect(new Set(requests.map((r) => r.headers['webhook-id'])).size).toBe(1);
    // Each retry waited for the schedule (200 ms here).
    for (let i = 1; i < requests.length; i++) {
      expect((requests[i]?.at ?? 0) - (requests[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(150);
    }
  });

  it('two workers never deliver one message twice (many events)', async () => {
    await createEndpoint('/many', ['SERVER_REGISTERED']);
    const count = 30;
    for (let i = 0; i < count; i++) await registerServer(`hooks-many-${i}`);
    await eventually(() => receiver.at('/many').length >= count, 30_000);
    // Give a second delivery every chance to show up.
    await new Promise((r) => setTimeout(r, 1500));
    const ids = receiver.at('/many').map((r) => r.headers['webhook-id']);
    expect(ids).toHaveLength(count);
    expect(new Set(ids).size).toBe(count);
  });

  it('sends a test event on request, and redelivers a delivery by hand with the same id', async () => {
    const endpoint = await createEndpoint('/manual', ['STAGE_CHANGED']);
    const { sendWebhookTestEvent } = await gql<{ sendWebhookTestEvent: { id: string; status: string } }>(
      'mutation($id: ID!) { sendWebhookTestEvent(id: $id) { id status } }',
      { id: endpoint.id },
    );
    expect(sendWebhookTestEvent.status).toBe('PENDING');
    const [first] = await eventually(
      () => receiver.at('/manual').length === 1 && receiver.at('/manual'),
      10_000,
    );
    expect(verify(endpoint.secret, first?.body ?? '', first?.headers ?? {})).toMatchObject({
      type: 'webhook.test',
      data: { endpointId: endpoint.id, accountId },
    });
    await eventually(async () => (await deliveries(endpoint.id))[0]?.status === 'DELIVERED');
    await gql('mutation($id: ID!) { redeliverWebhookDelivery(id: $id) { id status } }', {
      id: sendWebhookTestEvent.id,
    });
    const requests = await eventually(
      () => receiver.at('/manual').length === 2 && receiver.at('/manual'),
      10_000,
    );
    expect(requests[1]?.headers['webhook-id']).toBe(sendWebhookTestEvent.id);
    expect(requests[1]?.body).toBe(first?.body);
    const [delivery] = await eventually(async () => {
      const list = await deliveries(endpoint.id);
      return list[0]?.attempts.length === 2 && list;
    });
    expect(delivery?.attempts.map((a) => a.success)).toEqual([true, true]);
  });

  it('disables an endpoint after repeated failures, with the reason on it and a notice to the account', async () => {
    const watcher = await createEndpoint('/watcher', ['ENDPOINT_DISABLED']);
    const failing = await createEndpoint('/down', ['STAGE_CHANGED'], () => 503);
    await gql('mutation($id: ID!) { sendWebhookTestEvent(id: $id) { id } }', { id: failing.id });
    const disabled = await eventually(async () => {
      const { webhookEndpoint } = await gql<{
        webhookEndpoint: { enabled: boolean; disabledReason: string | null; consecutiveFailures: number };
      }>(`query($id: ID!) { webhookEndpoint(id: $id) { ${ENDPOINT_FIELDS} } }`, { id: failing.id });
      return !webhookEndpoint.enabled && webhookEndpoint;
    }, 20_000);
    expect(disabled.consecutiveFailures).toBe(5);
    expect(disabled.disabledReason).toMatch(/5 consecutive failed attempts \(last: HTTP 503\)/);
    expect(receiver.at('/down')).toHaveLength(5);
    const [notice] = await eventually(
      () => receiver.at('/watcher').length > 0 && receiver.at('/watcher'),
      15_000,
    );
    expect(verify(watcher.secret, notice?.body ?? '', notice?.headers ?? {})).toMatchObject({
      type: 'webhook.endpoint_disabled',
      data: { endpointId: failing.id, accountId, consecutiveFailures: 5 },
    });
    // Nothing more goes to a disabled endpoint, and a test event is refused until it is enabled again.
    const refused = await graphqlRequest(
      url,
      'mutation($id: ID!) { sendWebhookTestEvent(id: $id) { id } }',
      { id: failing.id },
      admin,
    );
    expect(refused.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
  });

  it('refuses endpoint URLs that are not https or point at private, link-local or metadata addresses', async () => {
    for (const bad of [
      'http://example.com/hook',
      'https://10.1.2.3/hook',
      'https://192.168.0.10/hook',
      'https://169.254.169.254/latest/meta-data',
      'https://[fd00::1]/hook',
      'https://user:pw@example.com/hook',
      'not a url',
    ]) {
      const answer = await graphqlRequest(
        url,
        CREATE,
        { input: { accountId, url: bad, eventTypes: ['SERVER_REGISTERED'] } },
        admin,
      );
      expect([
        bad,
        answer.errors?.[0]?.extensions?.['code'],
        answer.errors?.[0]?.extensions?.['field'],
      ]).toEqual([bad, 'BAD_USER_INPUT', 'url']);
    }
  });

  it("another account's administrator can neither see nor manage this account's webhooks", async () => {
    const endpoint = await createEndpoint('/private', ['SERVER_REGISTERED']);
    const outsider = await tokenFor(testEnv.config, {
      roles: ['CUSTOMER_ADMIN'],
      accountId: '00000000-0000-4000-8000-000000000000',
    });
    const owner = await tokenFor(testEnv.config, { roles: ['CUSTOMER_ADMIN'], accountId });
    const supervisor = await tokenFor(testEnv.config, { roles: ['SUPERVISOR'], accountId });
    const list = '{ webhookEndpoints(accountId: $id) { id } }';
    const own = await graphqlData<{ webhookEndpoints: Array<{ id: string }> }>(
      url,
      `query($id: ID!) ${list}`,
      { id: accountId },
      owner,
    );
    expect(own.webhookEndpoints.map((e) => e.id)).toContain(endpoint.id);
    for (const [token, code] of [
      [outsider, 'FORBIDDEN'],
      [supervisor, 'FORBIDDEN'],
    ] as const) {
      const read = await graphqlRequest(url, `query($id: ID!) ${list}`, { id: accountId }, token);
      expect(read.errors?.[0]?.extensions?.['code']).toBe(code);
      const rotate = await graphqlRequest(
        url,
        'mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret } }',
        { id: endpoint.id },
        token,
      );
      expect(rotate.errors?.[0]?.extensions?.['code']).toBe(code);
    }
  });

  it('delivers after the worker holding the request was killed (kill -9) mid-send', async () => {
    const endpoint = await createEndpoint('/crash', ['SERVER_REGISTERED'], (_r, n) =>
      n === 1 ? 'hold' : 200,
    );
    await registerServer('hooks-crash');
    const [held] = await eventually(
      () => receiver.at('/crash').length === 1 && receiver.at('/crash'),
      20_000,
    );
    const messageId = String(held?.headers['webhook-id']);
    // Which worker holds it: the lease names its process.
    const connection = await createConnection(mariadbConnectionOptions(TEST_MARIADB_URL));
    let owner: string;
    try {
      const [rows] = await connection.query(
        `SELECT lease_owner FROM \`${mariadbDatabaseName(prefix, 'accounts')}\`.webhook_delivery WHERE id = ?`,
        [messageId],
      );
      owner = String((rows as Array<{ lease_owner: string }>)[0]?.lease_owner);
    } finally {
      await connection.end();
    }
    const pid = Number(owner.split(':')[1]);
    const victim = workers.find((w) => w.child.pid === pid);
    expect(victim).toBeDefined();
    const exited = new Promise((r) => victim?.child.once('exit', r));
    process.kill(pid, 'SIGKILL');
    await exited;
    // The surviving worker takes it over once the lease has run out (10 s here).
    const requests = await eventually(
      () => receiver.at('/crash').length >= 2 && receiver.at('/crash'),
      30_000,
    );
    expect(requests[1]?.headers['webhook-id']).toBe(messageId);
    expect(verify(endpoint.secret, requests[1]?.body ?? '', requests[1]?.headers ?? {})).toMatchObject({
      type: 'server.registered',
    });
    const [delivery] = await eventually(async () => {
      const list = await deliveries(endpoint.id);
      return list[0]?.status === 'DELIVERED' && list;
    }, 10_000);
    expect(delivery?.attempts).toEqual([expect.objectContaining({ statusCode: 200, success: true })]);
  }, 90_000);
});

describe('webhooks in embedded mode (SQLite, in-process bus, the worker in the platform process)', () => {
  const receiver = new WebhookReceiver();
  let testEnv: ReturnType<typeof testEnvironment>;
  let stack: Stack;

  beforeAll(async () => {
    await receiver.start();
    testEnv = testEnvironment({
      env: { WEBHOOK_ALLOW_LOOPBACK: 'true', WEBHOOK_POLL_MS: '100', WEBHOOK_RETRY_SCHEDULE_MS: '100' },
    });
    stack = await startStack(testEnv.config);
  }, 60_000);

  afterAll(async () => {
    await stack?.close();
    await receiver.stop();
    await testEnv?.cleanup();
  });

  it('delivers a test event and a platform event, both signed', async () => {
    const url = stack.gatewayUrl;
    const admin = await tokenFor(testEnv.config, { roles: ['LICENSING_ADMIN'] });
    const { createAccount } = await graphqlData<{ createAccount: { id: string } }>(
      url,
      'mutation($input: CreateAccountInput!) { createAccount(input: $input) { id } }',
      { input: { name: 'Embedded Hooks', garn: `GARN-${randomBytes(3).toString('hex')}`, kind: 'CUSTOMER' } },
      admin,
    );
    const { createWebhookEndpoint } = await graphqlData<{
      createWebhookEndpoint: { secret: string; endpoint: { id: string } };
    }>(
      url,
      CREATE,
      {
        input: {
          accountId: createAccount.id,
          url: receiver.on('/embedded', () => 200),
          eventTypes: ['SERVER_REGISTERED'],
        },
      },
      admin,
    );
    await graphqlData(
      url,
      'mutation($id: ID!) { sendWebhookTestEvent(id: $id) { id } }',
      { id: createWebhookEndpoint.endpoint.id },
      admin,
    );
    const { createInstallSite } = await graphqlData<{ createInstallSite: { id: string } }>(
      url,
      'mutation($input: CreateInstallSiteInput!) { createInstallSite(input: $input) { id } }',
      { input: { accountId: createAccount.id, name: 'Embedded site' } },
      admin,
    );
    await eventually(
      () =>
        graphqlData(
          url,
          'mutation($input: RegisterServerInput!) { registerServer(input: $input) { id } }',
          {
            input: { accountId: createAccount.id, installSiteId: createInstallSite.id, name: 'embedded-cic' },
          },
          admin,
        ),
      15_000,
    );
    const requests = await eventually(
      () => receiver.at('/embedded').length >= 2 && receiver.at('/embedded'),
      15_000,
    );
    const types = requests.map(
      (r) =>
        (
          new Webhook(createWebhookEndpoint.secret).verify(r.body, r.headers as Record<string, string>) as {
            type: string;
          }
        ).type,
    );
    expect(types.sort()).toEqual(['server.registered', 'webhook.test']);
  });
});
