import { randomUUID } from 'node:crypto';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { startStack, type Stack } from '@lic/scripts';
import { type TestEnvironment, eventually, testEnvironment, tokenFor } from '@lic/testing';

interface Answer {
  status: number;
  replayed: boolean;
  body: {
    data?: Record<string, Record<string, unknown>> | null;
    errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
  };
}

async function post(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  credential: string,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${credential}`, ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: res.status,
    replayed: res.headers.get('idempotent-replayed') === 'true',
    body: (await res.json()) as Answer['body'],
  };
}

/**
 * Embedded mode (one process, SQLite, in-process revocations, the gateway's own idempotency store):
 * the same guarantees as on separate processes.
 */
describe('API keys and idempotency keys in embedded mode', () => {
  let env: TestEnvironment;
  let stack: Stack;
  let admin: string;
  let accountId: string;

  beforeAll(async () => {
    // Platform tokens for keys live 5 s here (5 minutes by default): a key's socket must outlive them.
    env = testEnvironment({ env: { API_KEY_TOKEN_SECONDS: '5' } });
    stack = await startStack(env.config);
    admin = await tokenFor(env.config, { roles: ['LICENSING_ADMIN'], certified: true });
    const created = await post(
      stack.gatewayUrl,
      'mutation($input: CreateAccountInput!) { createAccount(input: $input) { id } }',
      { input: { name: 'Embedded Keys', garn: 'GARN-EMB-KEYS', kind: 'PARTNER' } },
      admin,
    );
    accountId = created.body.data!['createAccount']!['id'] as string;
  });
  afterAll(async () => {
    await stack.close();
    await env.cleanup();
  });

  it('a partner’s key works over HTTP and graphql-ws until revoked, then its socket closes with 4401', async () => {
    const partner = await tokenFor(env.config, { sub: 'pat', roles: ['PARTNER'], accountId });
    const created = await post(
      stack.gatewayUrl,
      `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id } } }`,
      { input: { accountId, name: 'portal', roles: ['PARTNER'] } },
      partner,
    );
    const { secret, apiKey } = created.body.data!['createApiKey'] as unknown as {
      secret: string;
      apiKey: { id: string };
    };
    const ACCOUNT = 'query($id: ID!) { account(id: $id) { name } }';
    expect((await post(stack.gatewayUrl, ACCOUNT, { id: accountId }, secret)).body).toEqual({
      data: { account: { name: 'Embedded Keys' } },
    });
    let closed: { code: number; reason: string } | undefined;
    const ws = createClient({
      url: stack.gatewayUrl.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      // A bare key in connectionParams is accepted as a bearer credential.
      connectionParams: { authorization: secret },
      lazy: false,
      retryAttempts: 0,
      onNonLazyError: () => undefined,
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
        { query: ACCOUNT, variables: { id: accountId } },
        { next: (value) => (result = value), error: reject, complete: () => resolve(result) },
      );
    });
    expect(overWs).toEqual({ data: { account: { name: 'Embedded Keys' } } });
    await post(
      stack.gatewayUrl,
      'mutation($id: ID!) { revokeApiKey(id: $id) { id } }',
      { id: apiKey.id },
      partner,
    );
    await eventually(() => closed, 3000);
    expect(closed).toEqual({ code: 4401, reason: 'This credential was revoked' });
    const refused = await post(stack.gatewayUrl, ACCOUNT, { id: accountId }, secret);
    expect(refused.status).toBe(401);
    expect(refused.body.errors?.[0]?.message).toBe('This API key was revoked');
    await ws.dispose();
  });

  it('a key’s socket outlives the platform tokens forwarded for it (renewed for each operation)', async () => {
    const created = await post(
      stack.gatewayUrl,
      `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }`,
      { input: { accountId, name: 'long socket', roles: ['PARTNER'] } },
      admin,
    );
    const secret = created.body.data!['createApiKey']!['secret'] as string;
    const ws = createClient({
      url: stack.gatewayUrl.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${secret}` },
      lazy: false,
      retryAttempts: 0,
      onNonLazyError: () => undefined,
    });
    const query = () =>
      new Promise<unknown>((resolve, reject) => {
        let result: unknown;
        ws.subscribe(
          { query: 'query($id: ID!) { account(id: $id) { name } }', variables: { id: accountId } },
          { next: (value) => (result = value), error: reject, complete: () => resolve(result) },
        );
      });
    expect(await query()).toEqual({ data: { account: { name: 'Embedded Keys' } } });
    await new Promise((r) => setTimeout(r, 6000));
    expect(await query()).toEqual({ data: { account: { name: 'Embedded Keys' } } });
    expect(
      (
        await post(
          stack.gatewayUrl,
          'query($id: ID!) { account(id: $id) { name } }',
          { id: accountId },
          secret,
        )
      ).body,
    ).toEqual({
      data: { account: { name: 'Embedded Keys' } },
    });
    await ws.dispose();
  }, 30_000);

  it('ten identical mutations at once with one Idempotency-Key: one effect, ten equal answers', async () => {
    const key = randomUUID();
    const input = { accountId, installSiteId: randomUUID(), name: 'embedded-idem' };
    const REGISTER = 'mutation($input: RegisterServerInput!) { registerServer(input: $input) { id } }';
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        post(stack.gatewayUrl, REGISTER, { input }, admin, { 'Idempotency-Key': key }),
      ),
    );
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
    expect(answers[0]!.body.data?.['registerServer']?.['id']).toEqual(expect.any(String));
    expect(answers.filter((a) => a.replayed)).toHaveLength(9);
    const servers = await post(
      stack.gatewayUrl,
      'query($id: ID!) { account(id: $id) { servers { name } } }',
      { id: accountId },
      admin,
    );
    expect(servers.body.data!['account']!['servers']).toEqual([{ name: 'embedded-idem' }]);
    const other = await post(stack.gatewayUrl, REGISTER, { input: { ...input, name: 'other' } }, admin, {
      'Idempotency-Key': key,
    });
    expect(other.status).toBe(422);
    expect(other.body.errors?.[0]?.extensions?.['code']).toBe('IDEMPOTENCY_KEY_REUSED');
    const malformed = await post(stack.gatewayUrl, REGISTER, { input }, admin, { 'Idempotency-Key': 'a b' });
    expect(malformed.status).toBe(400);
  });
});
