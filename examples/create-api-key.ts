/**
 * A partner's client, with nothing of this repository but the API: creates an API key for an
 * account with `createApiKey` and `fetch`, safe to run again (the same `Idempotency-Key` answers
 * the first key's answer instead of creating a second key). Run it (after `npm run build`):
 *
 *   LIC_URL=http://127.0.0.1:4000/graphql LIC_TOKEN=<administrator's token> LIC_ACCOUNT=<account id> \
 *     LIC_KEY_NAME="nightly sync" node examples/dist/create-api-key.js
 *
 * It prints the key's id, then the secret on a line of its own: store the secret now, it is never
 * shown again.
 */

export type ApiKeyRole = 'LICENSING_ADMIN' | 'PARTNER' | 'CUSTOMER_ADMIN' | 'SUPERVISOR';

export interface CreatedApiKey {
  secret: string;
  apiKey: { id: string; prefix: string; roles: ApiKeyRole[]; expiresAt: string | null };
}

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: Array<{ message: string; extensions?: { code?: string; reason?: string } }>;
}

const CREATE_API_KEY = `mutation CreateApiKey($input: CreateApiKeyInput!) {
  createApiKey(input: $input) { secret apiKey { id prefix roles expiresAt } }
}`;

/**
 * A new key for `accountId`, with roles no wider than the caller's own. Retried with the same
 * account and name, it returns the same key (for 24 hours): a network error is safe to retry.
 */
export async function createApiKey(
  url: string,
  token: string,
  input: { accountId: string; name: string; roles: ApiKeyRole[]; expiresAt?: string },
): Promise<CreatedApiKey> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      'idempotency-key': `create-api-key:${input.accountId}:${encodeURIComponent(input.name)}`,
    },
    body: JSON.stringify({ query: CREATE_API_KEY, variables: { input } }),
  });
  const body = (await response.json()) as GraphQLResponse<{ createApiKey: CreatedApiKey }>;
  const error = body.errors?.[0];
  if (error) throw new Error(`${error.extensions?.code ?? 'ERROR'}: ${error.message}`);
  if (!body.data) throw new Error(`HTTP ${response.status} without data`);
  return body.data.createApiKey;
}

async function main(): Promise<void> {
  // A partner's script, not a service of the platform: it reads its own environment.
  // eslint-disable-next-line no-restricted-properties
  const { LIC_URL, LIC_TOKEN, LIC_ACCOUNT, LIC_KEY_NAME, LIC_KEY_ROLES } = process.env;
  if (!LIC_URL || !LIC_TOKEN || !LIC_ACCOUNT || !LIC_KEY_NAME) {
    throw new Error('Set LIC_URL, LIC_TOKEN, LIC_ACCOUNT and LIC_KEY_NAME');
  }
  const roles = (LIC_KEY_ROLES ?? 'CUSTOMER_ADMIN').split(',').map((role) => role.trim()) as ApiKeyRole[];
  const created = await createApiKey(LIC_URL, LIC_TOKEN, {
    accountId: LIC_ACCOUNT,
    name: LIC_KEY_NAME,
    roles,
  });
  console.log(`key ${created.apiKey.id} (${created.apiKey.prefix}…, ${created.apiKey.roles.join(', ')})`);
  console.log(created.secret);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
