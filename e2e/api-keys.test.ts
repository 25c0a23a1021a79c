import { randomBytes, randomUUID } from 'node:crypto';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { dropMariadbDatabases } from '@lic/shared';
import { TEST_MARIADB_URL, TEST_REDIS_URL, eventually, testEnvironment, tokenFor } from '@lic/testing';
import { freePort, startProcess, type RunningProcess } from './helpers.js';

interface Answer<T = Record<string, unknown>> {
  status: number;
  replayed: boolean;
  body: { data?: T | null; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
}

/** A GraphQL POST as a partner's integration sends it (no gateway signature: it talks to the gateway). */
async function post<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  credential: string,
  headers: Record<string, string> = {},
): Promise<Answer<T>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${credential}`, ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: res.status,
    replayed: res.headers.get('idempotent-replayed') === 'true',
    body: (await res.json()) as Answer<T>['body'],
  };
}

const CREATE_ACCOUNT = `mutation($input: CreateAccountInput!) { createAccount(input: $input) { id } }`;
const CREATE_KEY = `mutation($input: CreateApiKeyInput!) {
  createApiKey(input: $input) { secret apiKey { id name prefix roles expiresAt lastUsedAt } } }`;
const LIST_KEYS = `query($accountId: ID!, $first: Int, $after: String, $includeRevoked: Boolean) {
  apiKeys(accountId: $accountId, first: $first, after: $after, includeRevoked: $includeRevoked) {
    edges { cursor node { id name prefix roles lastUsedAt revokedAt } } pageInfo { hasNextPage endCursor } } }`;
const REVOKE_KEY = `mutation($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }`;
const ACCOUNT = `query($id: ID!) { account(id: $id) { id name } }`;
const REGISTER = `mutation($input: RegisterServerInput!) { registerServer(input: $input) { id name } }`;
const SERVERS = `query($id: ID!) { account(id: $id) { servers { id name } } }`;

/**
 * Issue 17, end to end on real processes (four subgraphs and TWO gateway replicas on MariaDB and
 * Redis): an API key's whole life, and Idempotency-Key under concurrency across both replicas.
 */
describe('API keys and idempotency keys through two gateway replicas (MariaDB, Redis)', () => {
  const prefix = `lice2e_${randomBytes(4).toString('hex')}`;
  const processes: RunningProcess[] = [];
  const gateways: string[] = [];
  const { config } = testEnvironment();
  let admin: string;
  let accountA: string;
  let accountB: string;
  let adminA: string;

  beforeAll(async () => {
    const names = ['accounts', 'allocation', 'billing', 'enforcement'] as const;
    const ports = Object.fromEntries(
      await Promise.all(names.map(async (n) => [n, await freePort()] as const)),
    );
    const env: Record<string, string> = {
      DATABASE_URL: TEST_MARIADB_URL,
      DATABASE_PREFIX: prefix,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: `${prefix}:`,
      LOG_LEVEL: 'warn',
      OUTBOX_POLL_MS: '100',
      SUBGRAPH_SECRET: randomBytes(32).toString('hex'),
      // Short, so that the test sees a key freed again.
      IDEMPOTENCY_TTL_SECONDS: '4',
      ...Object.fromEntries(names.map((n) => [`${n.toUpperCase()}_PORT`, String(ports[n])])),
      ...Object.fromEntries(
        names.map((n) => [`${n.toUpperCase()}_URL`, `http://127.0.0.1:${ports[n]}/graphql`]),
      ),
    };
    processes.push(
      ...(await Promise.all(
        names.map((n) => startProcess(['scripts/dist/service.js', n], env, /"msg":"ready"/, 90_000)),
      )),
    );
    for (let i = 0; i < 2; i += 1) {
      const port = await freePort();
      processes.push(
        await startProcess(
          ['scripts/dist/service.js', 'gateway'],
          { ...env, GATEWAY_PORT: String(port) },
          /"msg":"ready"/,
          90_000,
        ),
      );
      gateways.push(`http://127.0.0.1:${port}/graphql`);
    }
    admin = await tokenFor(config, { roles: ['LICENSING_ADMIN'], certified: true });
    const create = async (name: string) =>
      (
        await post<{ createAccount: { id: string } }>(
          gateways[0]!,
          CREATE_ACCOUNT,
          { input: { name, garn: `GARN-${randomBytes(3).toString('hex')}`, kind: 'CUSTOMER' } },
          admin,
        )
      ).body.data!.createAccount.id;
    accountA = await create('Keys A Ltd');
    accountB = await create('Keys B Ltd');
    adminA = await tokenFor(config, { sub: 'alice@a', roles: ['CUSTOMER_ADMIN'], accountId: accountA });
  }, 240_000);

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await dropMariadbDatabases(TEST_MARIADB_URL, prefix);
  });

  it("a key's whole life: created, used over HTTP and graphql-ws, listed with its last use, revoked on both replicas within seconds", async () => {
    const created = await post<{ createApiKey: { secret: string; apiKey: { id: string; prefix: string } } }>(
      gateways[0]!,
      CREATE_KEY,
      { input: { accountId: accountA, name: 'nightly export', roles: ['CUSTOMER_ADMIN'] } },
      adminA,
    );
    expect(created.body.errors).toBeUndefined();
    const { secret, apiKey } = created.body.data!.createApiKey;
    expect(secret).toMatch(/^lic_[A-Za-z0-9_-]{43}$/);
    expect(apiKey.prefix).toBe(secret.slice(0, 12));

    // HTTP on both replicas: the key acts as the account's administrator.
    for (const url of gateways) {
      const answer = await post<{ account: { id: string } }>(url, ACCOUNT, { id: accountA }, secret);
      expect(answer.body).toEqual({ data: { account: { id: accountA, name: 'Keys A Ltd' } } });
      // ...and as nobody else's.
      const foreign = await post(url, ACCOUNT, { id: accountB }, secret);
      expect(foreign.body.data?.['account'] ?? null).toBeNull();
    }

    // graphql-ws on the second replica: a query answered, the socket left open.
    let closed: { code: number; reason: string } | undefined;
    const ws = createClient({
      url: gateways[1]!.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${secret}` },
      lazy: false,
      onNonLazyError: () => undefined,
      retryAttempts: 0,
      on: {
        closed: (event) => {
          const { code, reason } = event as { code: number; reason: string | Buffer };
          closed = { code, reason: String(reason) };
        },
      },
    });
    const overWs = await new Promise<unknown>((resolve, reject) => {
      let result: unknown;
      ws.subscribe(
        { query: ACCOUNT, variables: { id: accountA } },
        { next: (value) => (result = value), error: reject, complete: () => resolve(result) },
      );
    });
    expect(overWs).toEqual({ data: { account: { id: accountA, name: 'Keys A Ltd' } } });

    // Listed with its last use; never its secret.
    const listed = await post<{
      apiKeys: { edges: Array<{ node: { id: string; lastUsedAt: string | null } }> };
    }>(gateways[1]!, LIST_KEYS, { accountId: accountA }, adminA);
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    const row = listed.body.data!.apiKeys.edges.find((e) => e.node.id === apiKey.id);
    expect(row?.node.lastUsedAt).not.toBeNull();

    // Revoked on replica 1: refused on both within seconds, the open socket on replica 2 closed (4401).
    const revokedAt = Date.now();
    const revoked = await post(gateways[0]!, REVOKE_KEY, { id: apiKey.id }, adminA);
    expect(revoked.body.errors).toBeUndefined();
    for (const url of gateways) {
      await eventually(async () => {
        const answer = await post(url, ACCOUNT, { id: accountA }, secret);
        return (
          answer.body.errors?.[0]?.extensions?.['code'] === 'UNAUTHENTICATED' &&
          answer.status === 401 &&
          answer
        );
      }, 5000);
    }
    await eventually(() => closed, 5000);
    expect(closed).toEqual({ code: 4401, reason: 'This credential was revoked' });
    expect(Date.now() - revokedAt).toBeLessThan(5000);
    const refused = await post(gateways[1]!, ACCOUNT, { id: accountA }, secret);
    expect(refused.body.errors?.[0]?.message).toMatch(/revoked/);
    await ws.dispose();
  });

  it('refuses roles wider than the creator’s, a SUPERVISOR creating keys, and shows no account another’s keys', async () => {
    const wider = await post(
      gateways[0]!,
      CREATE_KEY,
      { input: { accountId: accountA, name: 'too wide', roles: ['LICENSING_ADMIN'] } },
      adminA,
    );
    expect(wider.body.errors?.[0]?.extensions).toMatchObject({
      code: 'API_KEY_ROLES_TOO_WIDE',
      roles: ['LICENSING_ADMIN'],
    });
    const supervisor = await tokenFor(config, { roles: ['SUPERVISOR'], accountId: accountA });
    const bySupervisor = await post(
      gateways[0]!,
      CREATE_KEY,
      { input: { accountId: accountA, name: 'supervisor', roles: ['SUPERVISOR'] } },
      supervisor,
    );
    expect(bySupervisor.body.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    const forAnother = await post(
      gateways[0]!,
      CREATE_KEY,
      { input: { accountId: accountB, name: 'intruder', roles: ['CUSTOMER_ADMIN'] } },
      adminA,
    );
    expect(forAnother.body.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');

    const adminB = await tokenFor(config, { roles: ['CUSTOMER_ADMIN'], accountId: accountB });
    const foreign = await post(gateways[1]!, LIST_KEYS, { accountId: accountA }, adminB);
    expect(foreign.body.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    expect(foreign.body.data?.['apiKeys'] ?? null).toBeNull();
    // The licensing team sees any account's keys.
    const byAdmin = await post<{ apiKeys: { edges: unknown[] } }>(
      gateways[1]!,
      LIST_KEYS,
      { accountId: accountA, includeRevoked: true },
      admin,
    );
    expect(byAdmin.body.data!.apiKeys.edges.length).toBeGreaterThan(0);
    // Revoked keys are left out unless asked for (the one key of A was revoked above).
    const current = await post<{ apiKeys: { edges: unknown[] } }>(
      gateways[1]!,
      LIST_KEYS,
      { accountId: accountA },
      adminA,
    );
    expect(current.body.data!.apiKeys.edges).toEqual([]);
  });

  it('pages through keys with opaque cursors, stable while keys are added', async () => {
    for (let i = 0; i < 3; i += 1) {
      await post(
        gateways[0]!,
        CREATE_KEY,
        { input: { accountId: accountB, name: `k${i}`, roles: ['CUSTOMER_ADMIN'] } },
        admin,
      );
    }
    type Page = {
      apiKeys: {
        edges: Array<{ cursor: string; node: { name: string } }>;
        pageInfo: { hasNextPage: boolean; endCursor: string };
      };
    };
    const first = (await post<Page>(gateways[0]!, LIST_KEYS, { accountId: accountB, first: 2 }, admin)).body
      .data!.apiKeys;
    expect(first.edges.map((e) => e.node.name)).toEqual(['k0', 'k1']);
    expect(first.pageInfo.hasNextPage).toBe(true);
    await post(
      gateways[0]!,
      CREATE_KEY,
      { input: { accountId: accountB, name: 'k3', roles: ['CUSTOMER_ADMIN'] } },
      admin,
    );
    const next = (
      await post<Page>(
        gateways[1]!,
        LIST_KEYS,
        { accountId: accountB, first: 5, after: first.pageInfo.endCursor },
        admin,
      )
    ).body.data!.apiKeys;
    expect(next.edges.map((e) => e.node.name)).toEqual(['k2', 'k3']);
    expect(next.pageInfo.hasNextPage).toBe(false);
    const bad = await post(
      gateways[1]!,
      LIST_KEYS,
      { accountId: accountB, after: 'bm90IGEgY3Vyc29y' },
      admin,
    );
    expect(bad.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  it('refuses a key once it has expired', async () => {
    const created = await post<{ createApiKey: { secret: string } }>(
      gateways[0]!,
      CREATE_KEY,
      {
        input: {
          accountId: accountA,
          name: 'short-lived',
          roles: ['CUSTOMER_ADMIN'],
          expiresAt: new Date(Date.now() + 2500).toISOString(),
        },
      },
      adminA,
    );
    const { secret } = created.body.data!.createApiKey;
    expect((await post(gateways[1]!, ACCOUNT, { id: accountA }, secret)).body.errors).toBeUndefined();
    await new Promise((r) => setTimeout(r, 3000));
    const refused = await post(gateways[1]!, ACCOUNT, { id: accountA }, secret);
    expect(refused.status).toBe(401);
    expect(refused.body.errors?.[0]?.message).toMatch(/expired/);
    const unknown = await post(gateways[0]!, ACCOUNT, { id: accountA }, `lic_${'A'.repeat(43)}`);
    expect(unknown.body.errors?.[0]).toMatchObject({
      message: 'This API key is not valid',
      extensions: { code: 'UNAUTHENTICATED' },
    });
  });

  it('ten identical registrations at once with one Idempotency-Key, over both replicas: one server, ten equal answers', async () => {
    const key = randomUUID();
    const name = `idem-${randomBytes(3).toString('hex')}`;
    const input = { accountId: accountA, installSiteId: randomUUID(), name };
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        post<{ registerServer: { id: string } }>(gateways[i % 2]!, REGISTER, { input }, admin, {
          'Idempotency-Key': key,
        }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    const ids = new Set(answers.map((a) => a.body.data?.registerServer.id));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toEqual(expect.any(String));
    expect(answers.filter((a) => a.replayed)).toHaveLength(9);
    const servers = (
      await post<{ account: { servers: Array<{ name: string }> } }>(
        gateways[0]!,
        SERVERS,
        { id: accountA },
        admin,
      )
    ).body.data!.account.servers;
    expect(servers.filter((s) => s.name === name)).toHaveLength(1);

    // Another body with the same key: refused, nothing done.
    const other = await post(gateways[1]!, REGISTER, { input: { ...input, name: `${name}-2` } }, admin, {
      'Idempotency-Key': key,
    });
    expect(other.status).toBe(422);
    expect(other.body.errors?.[0]?.extensions?.['code']).toBe('IDEMPOTENCY_KEY_REUSED');
    // Keys are the caller's own: another principal with the same key is not affected.
    const adminB = await tokenFor(config, { roles: ['LICENSING_ADMIN'], sub: 'someone-else' });
    const elsewhere = await post(
      gateways[0]!,
      REGISTER,
      { input: { ...input, accountId: accountB, name: `${name}-b` } },
      adminB,
      { 'Idempotency-Key': key },
    );
    expect(elsewhere.status).toBe(200);
    expect(elsewhere.replayed).toBe(false);

    // A business refusal is an answer too: kept and replayed (the same name again is a conflict).
    const refusalKey = randomUUID();
    const again = () => post(gateways[0]!, REGISTER, { input }, admin, { 'Idempotency-Key': refusalKey });
    const firstRefusal = await again();
    expect(firstRefusal.body.errors?.[0]?.extensions?.['code']).toEqual(expect.any(String));
    const secondRefusal = await again();
    expect(secondRefusal.replayed).toBe(true);
    expect(secondRefusal.body).toEqual(firstRefusal.body);

    // After the TTL (4 s here; 24 hours by default) the key is free again.
    await new Promise((r) => setTimeout(r, 4500));
    const freed = await post<{ registerServer: { name: string } }>(
      gateways[1]!,
      REGISTER,
      { input: { ...input, name: `${name}-3` } },
      admin,
      { 'Idempotency-Key': key },
    );
    expect(freed.status).toBe(200);
    expect(freed.body.data?.registerServer.name).toBe(`${name}-3`);
  });
});
