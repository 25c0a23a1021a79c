import { API_KEY_VERIFY_PATH, Topics, hashApiKey } from '@lic/shared';
import { describeEachDatabase, testSigner } from '@lic/testing';
import { type Harness, startAccounts } from '../../test/harness.js';

const CREATE_ACCOUNT = `mutation($input: CreateAccountInput!) { createAccount(input: $input) { id } }`;
const CREATE_KEY = `mutation($input: CreateApiKeyInput!) {
  createApiKey(input: $input) { secret apiKey { id prefix roles createdBy expiresAt lastUsedAt } } }`;
const REVOKE = `mutation($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }`;

interface Created {
  createApiKey: { secret: string; apiKey: { id: string; prefix: string; lastUsedAt: string | null } };
}

describeEachDatabase('API keys in the accounts subgraph', (database) => {
  let h: Harness;
  let accountId: string;
  let customerAdmin: string;

  /** The gateway's question, signed as the gateway signs it. */
  const verify = async (secret: string, signed = true) => {
    const body = JSON.stringify({ hash: hashApiKey(secret) });
    const url = new URL(API_KEY_VERIFY_PATH, h.server.url);
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(signed
          ? testSigner().headers({ method: 'POST', path: url.pathname, authorization: undefined, body })
          : {}),
      },
      body,
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const lastUsed = async (id: string): Promise<number | null> => {
    const [row] = (await h.server.database.dataSource.query('SELECT last_used_at FROM api_key WHERE id = ?', [
      id,
    ])) as Array<{
      last_used_at: string | number | null;
    }>;
    return row?.last_used_at === null || row?.last_used_at === undefined ? null : Number(row.last_used_at);
  };

  beforeAll(async () => {
    h = await startAccounts(database);
    accountId = (
      await h.gql<{ createAccount: { id: string } }>(h.admin, CREATE_ACCOUNT, {
        input: { name: 'Keyholder', garn: 'GARN-KEY', kind: 'CUSTOMER' },
      })
    ).createAccount.id;
    customerAdmin = await h.token({ sub: 'kay', roles: ['CUSTOMER_ADMIN'], accountId });
  });
  afterAll(() => h.close());

  it('shows the secret once and keeps only its SHA-256', async () => {
    const { createApiKey } = await h.gql<Created>(customerAdmin, CREATE_KEY, {
      input: { accountId, name: 'export', roles: ['CUSTOMER_ADMIN'] },
    });
    expect(createApiKey.secret).toMatch(/^lic_[A-Za-z0-9_-]{43}$/);
    expect(createApiKey.apiKey).toMatchObject({ prefix: createApiKey.secret.slice(0, 12), lastUsedAt: null });
    const rows = (await h.server.database.dataSource.query('SELECT * FROM api_key WHERE id = ?', [
      createApiKey.apiKey.id,
    ])) as Array<Record<string, unknown>>;
    expect(rows[0]!['secret_hash']).toBe(hashApiKey(createApiKey.secret));
    expect(JSON.stringify(rows)).not.toContain(createApiKey.secret.slice(12));
  });

  it('answers the gateway (signed requests only) with the key’s principal, and records last use at most once a minute', async () => {
    const { createApiKey } = await h.gql<Created>(customerAdmin, CREATE_KEY, {
      input: { accountId, name: 'sync', roles: ['CUSTOMER_ADMIN'] },
    });
    const { secret, apiKey } = createApiKey;
    expect((await verify(secret, false)).status).toBe(401);
    expect(await verify(secret)).toEqual({
      status: 200,
      body: {
        ok: true,
        id: apiKey.id,
        accountId,
        roles: ['CUSTOMER_ADMIN'],
        certified: false,
        expiresAt: null,
      },
    });
    const first = await lastUsed(apiKey.id);
    expect(first).toBe(h.clock.now().getTime());
    h.clock.advance(30_000);
    await verify(secret);
    expect(await lastUsed(apiKey.id)).toBe(first);
    h.clock.advance(31_000);
    await verify(secret);
    expect(await lastUsed(apiKey.id)).toBe(h.clock.now().getTime());
    expect((await verify(`lic_${'x'.repeat(43)}`)).body).toEqual({ ok: false, reason: 'unknown' });
  });

  it('refuses a revoked key (recording the event) and an expired one', async () => {
    const revokedEvents = await h.events(Topics.ApiKeyRevoked);
    const { createApiKey } = await h.gql<Created>(customerAdmin, CREATE_KEY, {
      input: {
        accountId,
        name: 'expiring',
        roles: ['CUSTOMER_ADMIN'],
        expiresAt: new Date(h.clock.now().getTime() + 3_600_000).toISOString(),
      },
    });
    expect((await verify(createApiKey.secret)).body['ok']).toBe(true);
    h.clock.advance(3_600_000);
    expect((await verify(createApiKey.secret)).body).toEqual({ ok: false, reason: 'expired' });

    const other = (
      await h.gql<Created>(customerAdmin, CREATE_KEY, {
        input: { accountId, name: 'revoked', roles: ['CUSTOMER_ADMIN'] },
      })
    ).createApiKey;
    await h.gql(customerAdmin, REVOKE, { id: other.apiKey.id });
    expect((await verify(other.secret)).body).toEqual({ ok: false, reason: 'revoked' });
    // The event travels through the outbox and the bus: wait for it rather than for a fixed time.
    for (const deadline = Date.now() + 10_000; revokedEvents.length === 0 && Date.now() < deadline;)
      await new Promise((r) => setTimeout(r, 20));
    expect(revokedEvents.map((e) => e.payload)).toEqual([
      { apiKeyId: other.apiKey.id, accountId, revokedAt: h.clock.now().toISOString() },
    ]);
  });

  it('refuses with stable codes: wider roles, a past expiry, an empty name, another account, a SUPERVISOR', async () => {
    const attempt = (token: string, input: Record<string, unknown>) =>
      h.fail(token, CREATE_KEY, { input: { accountId, name: 'k', roles: ['CUSTOMER_ADMIN'], ...input } });
    expect((await attempt(customerAdmin, { roles: ['CUSTOMER_ADMIN', 'PARTNER'] })).extensions).toMatchObject(
      {
        code: 'API_KEY_ROLES_TOO_WIDE',
        roles: ['PARTNER'],
      },
    );
    expect((await attempt(customerAdmin, { expiresAt: '2019-01-01T00:00:00Z' })).extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'expiresAt',
    });
    expect((await attempt(customerAdmin, { name: '  ' })).extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
    });
    expect((await attempt(customerAdmin, { roles: [] })).extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'roles',
    });
    const stranger = await h.token({ roles: ['CUSTOMER_ADMIN'], accountId: 'another-account' });
    expect((await attempt(stranger, {})).extensions?.['code']).toBe('FORBIDDEN');
    const supervisor = await h.token({ roles: ['SUPERVISOR'], accountId });
    expect((await attempt(supervisor, { roles: ['SUPERVISOR'] })).extensions?.['code']).toBe('FORBIDDEN');
    // The licensing team may create keys for any account, with any person's role.
    const byAdmin = await h.gql<Created>(h.admin, CREATE_KEY, {
      input: { accountId, name: 'ops', roles: ['SUPERVISOR', 'CUSTOMER_ADMIN'] },
    });
    expect(byAdmin.createApiKey.secret).toMatch(/^lic_/);
  });
});
