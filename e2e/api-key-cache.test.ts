import { type Fetcher } from '@apollo/utils.fetcher';
import { startStack, type Stack } from '@lic/scripts';
import { TokenVerifier, gatewaySigner } from '@lic/shared';
import { type TestEnvironment, graphqlData, testEnvironment, tokenFor } from '@lic/testing';
import { ApiKeyExchange } from '../gateway/src/api-keys.js';
import { createSubgraphFetcher } from '../gateway/src/subgraph-fetcher.js';

/**
 * The gateway's API key cache against a real accounts subgraph: one question per key per cache
 * period (refusals cached too), nothing asked for a malformed key, the key's principal forwarded as
 * a platform token naming it, and a revocation dropping the cached verdict at once.
 */
describe('API key verification cache at the gateway', () => {
  let env: TestEnvironment;
  let stack: Stack;
  let asked = 0;
  let keys: ApiKeyExchange;
  let fetcher: ReturnType<typeof createSubgraphFetcher>;
  let accountId: string;
  let admin: string;

  beforeAll(async () => {
    env = testEnvironment({ env: { API_KEY_CACHE_MS: '400' } });
    stack = await startStack(env.config);
    fetcher = createSubgraphFetcher(5000, gatewaySigner(env.config));
    const counting: Fetcher = (url, init) => {
      asked += 1;
      return fetcher(url, init);
    };
    keys = new ApiKeyExchange(env.config, counting, () => stack.services.accounts.url);
    admin = await tokenFor(env.config, { roles: ['LICENSING_ADMIN'], certified: true });
    accountId = (
      await graphqlData<{ createAccount: { id: string } }>(
        stack.gatewayUrl,
        'mutation { createAccount(input: { name: "Cache Ltd", garn: "GARN-CACHE", kind: CUSTOMER }) { id } }',
        {},
        admin,
      )
    ).createAccount.id;
  });
  afterAll(async () => {
    fetcher.close();
    await stack.close();
    await env.cleanup();
  });

  it('asks accounts once per key per cache period, and forwards a platform token naming the key', async () => {
    const { createApiKey } = await graphqlData<{ createApiKey: { secret: string; apiKey: { id: string } } }>(
      stack.gatewayUrl,
      `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id } } }`,
      { input: { accountId, name: 'cached', roles: ['CUSTOMER_ADMIN'] } },
      admin,
    );
    const header = `Bearer ${createApiKey.secret}`;
    asked = 0;
    const first = await keys.exchange(header);
    const second = await keys.exchange(header);
    expect(asked).toBe(1);
    expect(second.authorization).toBe(first.authorization);
    expect(first.apiKey).toEqual({ id: createApiKey.apiKey.id, expiresAt: null });
    const principal = await new TokenVerifier(env.config).fromAuthorization(first.authorization);
    expect(principal).toMatchObject({
      sub: `api-key:${createApiKey.apiKey.id}`,
      roles: ['CUSTOMER_ADMIN'],
      accountId,
      credential: { kind: 'api-key', id: createApiKey.apiKey.id },
    });
    await new Promise((r) => setTimeout(r, 450));
    await keys.exchange(header);
    expect(asked).toBe(2);

    // Revoked: the cached verdict still says yes until the revocation reaches this cache.
    await graphqlData(
      stack.gatewayUrl,
      'mutation($id: ID!) { revokeApiKey(id: $id) { id } }',
      { id: createApiKey.apiKey.id },
      admin,
    );
    await expect(keys.exchange(header)).resolves.toBeDefined();
    keys.forget(`api-key:${createApiKey.apiKey.id}`);
    await expect(keys.exchange(header)).rejects.toThrow('This API key was revoked');
  });

  it('caches refusals too, and asks nothing for a malformed key', async () => {
    asked = 0;
    const unknown = `Bearer lic_${'Z'.repeat(43)}`;
    await expect(keys.exchange(unknown)).rejects.toThrow('This API key is not valid');
    await expect(keys.exchange(unknown)).rejects.toThrow('This API key is not valid');
    expect(asked).toBe(1);
    await expect(keys.exchange('Bearer lic_short')).rejects.toThrow(/lic_ and 43 characters/);
    expect(asked).toBe(1);
    // Anything else passes through untouched (a JWT is verified as before).
    expect(await keys.exchange(`Bearer ${admin}`)).toEqual({ authorization: `Bearer ${admin}` });
  });
});
