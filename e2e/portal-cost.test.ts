import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Client } from 'graphql-ws';
import { testEnvironment, tokenFor, wsClient, type TestEnvironment } from '@lic/testing';
import { startStack, type Stack } from '@lic/scripts';
import { ROOT } from './helpers.js';

/**
 * The cost model through the real gateway, over HTTP and graphql-ws alike: a portal's account
 * page fits; list sizes count from arguments (and variables); each role has its own limit; an
 * abusive query (deep nesting of big lists) is refused with QUERY_TOO_COMPLEX and its cost.
 */
const PORTAL_PAGE = readFileSync(
  join(ROOT, 'gateway', 'src', 'limits', 'fixtures', 'portal-account-page.graphql'),
  'utf8',
);
/** Every account with its servers and their users: 25 × (1 + 4 × (1 + 200)) = 20,125. */
const FLEET_USERS = '{ accounts { id name servers { id name users { id name licenses } } } }';
/** Users of users of servers of every account, with sessions: past any role's limit. */
const ABUSIVE =
  '{ accounts { servers { users { station { server { users { activeSessions { id } } } } } } } }';
const SESSIONS = 'query($s: ID!, $n: Int!) { sessions(serverId: $s, limit: $n, activeOnly: false) { id } }';

interface Answer {
  status?: number;
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

describe('cost model: portal pages fit, abusive queries are refused, per role', () => {
  let env: TestEnvironment;
  let stack: Stack;
  let accountId: string;
  let serverId: string;
  const tokens: Record<string, string> = {};
  const clients: Client[] = [];

  const http = async (query: string, variables: Record<string, unknown>, token?: string): Promise<Answer> => {
    const response = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, ...((await response.json()) as Answer) };
  };

  const ws = (query: string, variables: Record<string, unknown>, token: string): Promise<Answer> => {
    const client = wsClient(stack.gatewayUrl, token);
    clients.push(client);
    return new Promise((resolve) => {
      let answer: Answer = {};
      client.subscribe(
        { query, variables },
        {
          next: (value) => {
            answer = value as Answer;
          },
          error: (error) => resolve({ errors: error as Answer['errors'] }),
          complete: () => resolve(answer),
        },
      );
    });
  };

  beforeAll(async () => {
    env = testEnvironment();
    stack = await startStack(env.config);
    tokens['admin'] = await tokenFor(stack.config, { roles: ['LICENSING_ADMIN'], certified: true });
    const created = await http(
      'mutation($input: CreateAccountInput!) { createAccount(input: $input) { id } }',
      { input: { name: 'Portal Customer Ltd', garn: 'GARN-COST-1', kind: 'CUSTOMER' } },
      tokens['admin'],
    );
    accountId = (created.data?.['createAccount'] as { id: string }).id;
    const server = await http(
      'mutation($input: RegisterServerInput!) { registerServer(input: $input) { id } }',
      { input: { accountId, installSiteId: accountId, name: 'portal-cic-1' } },
      tokens['admin'],
    );
    serverId = (server.data?.['registerServer'] as { id: string }).id;
    tokens['customer'] = await tokenFor(stack.config, { roles: ['CUSTOMER_ADMIN'], accountId });
    tokens['partner'] = await tokenFor(stack.config, { roles: ['PARTNER'], accountId });
  }, 60_000);

  afterAll(async () => {
    for (const client of clients) await client.dispose();
    await stack?.close();
    await env?.cleanup();
  });

  const refusal = (answer: Answer) => answer.errors?.[0]?.extensions;

  it.each(['http', 'ws'] as const)(
    'a portal account page fits a customer administrator (%s)',
    async (via) => {
      const answer = await (via === 'http' ? http : ws)(PORTAL_PAGE, { id: accountId }, tokens['customer']!);
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.['account']).toMatchObject({
        name: 'Portal Customer Ltd',
        servers: [{ id: serverId, name: 'portal-cic-1' }],
      });
    },
  );

  it.each(['http', 'ws'] as const)(
    'an abusive query is refused even to a licensing administrator, with its cost (%s)',
    async (via) => {
      const answer = await (via === 'http' ? http : ws)(ABUSIVE, {}, tokens['admin']!);
      if (via === 'http') expect(answer.status).toBe(400);
      expect(refusal(answer)).toMatchObject({ code: 'QUERY_TOO_COMPLEX', cost: 12_060_125, maxCost: 50_000 });
    },
  );

  it('each role has its own limit: the fleet with users fits a partner, not a customer nor an anonymous caller', async () => {
    const partner = await http(FLEET_USERS, {}, tokens['partner']);
    expect(partner.status).toBe(200);
    expect(partner.errors).toBeUndefined();
    expect(refusal(await http(FLEET_USERS, {}, tokens['customer']))).toMatchObject({
      code: 'QUERY_TOO_COMPLEX',
      cost: 20_125,
      maxCost: 15_000,
    });
    expect(refusal(await http(FLEET_USERS, {}))).toMatchObject({ code: 'QUERY_TOO_COMPLEX', maxCost: 5000 });
    expect(refusal(await ws(FLEET_USERS, {}, tokens['customer']!))).toMatchObject({
      code: 'QUERY_TOO_COMPLEX',
      maxCost: 15_000,
    });
  });

  it.each(['http', 'ws'] as const)('a list size given as a variable counts its value (%s)', async (via) => {
    const run = via === 'http' ? http : ws;
    const small = await run(SESSIONS, { s: serverId, n: 20 }, tokens['admin']!);
    expect(small.errors).toBeUndefined();
    expect(small.data).toEqual({ sessions: [] });
    expect(refusal(await run(SESSIONS, { s: serverId, n: 60_000 }, tokens['admin']!))).toMatchObject({
      code: 'QUERY_TOO_COMPLEX',
      cost: 60_000,
      maxCost: 50_000,
    });
  });
});
