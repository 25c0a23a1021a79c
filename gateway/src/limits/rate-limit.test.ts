import { type TestEnvironment, testEnvironment, tokenFor } from '@lic/testing';
import { type GatewayHandle, createGateway } from '../server.js';
import { postGraphQL } from '../../test/http.js';
import { type TestGraph, startTestGraph } from '../../test/test-subgraphs.js';
import { connect, record } from '../../test/ws-clients.js';

const QUERY = '{ owner(id: "acct-1") { name } }';
const SUBSCRIPTION = 'subscription { tick(topic: "acct-1/calls") { value } }';

/**
 * Issue 15, hole 6: "No throttling of failed authentication or of request volume, per client or
 * overall." Refusals are 429 RATE_LIMITED with Retry-After and the IETF RateLimit-* fields.
 */
async function platform(
  env: Record<string, string>,
  options: { redis?: boolean; replicas?: number } = {},
): Promise<{ env: TestEnvironment; graph: TestGraph; gateways: GatewayHandle[]; close(): Promise<void> }> {
  const test = testEnvironment({ env, ...(options.redis ? { redis: true } : {}) });
  const graph = await startTestGraph(test.config);
  const gateways: GatewayHandle[] = [];
  for (let i = 0; i < (options.replicas ?? 1); i += 1) {
    gateways.push(await createGateway(test.config, { supergraphSdl: graph.supergraphSdl }));
  }
  return {
    env: test,
    graph,
    gateways,
    close: async () => {
      for (const gateway of gateways) await gateway.close();
      await graph.close();
      await test.cleanup();
    },
  };
}

describe('rate limits at the gateway (embedded: in-process counters)', () => {
  it('limits requests per principal: RateLimit-* on each answer, then 429 RATE_LIMITED with Retry-After', async () => {
    const p = await platform({ RATE_LIMIT_PRINCIPAL_REQUESTS: '3', RATE_LIMIT_WINDOW_SECONDS: '600' });
    try {
      const alice = await tokenFor(p.env.config, {
        sub: 'alice',
        roles: ['SUPERVISOR'],
        accountId: 'acct-1',
      });
      const bob = await tokenFor(p.env.config, { sub: 'bob', roles: ['SUPERVISOR'], accountId: 'acct-1' });
      const url = p.gateways[0]!.url;
      for (const remaining of [2, 1, 0]) {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${alice}` },
          body: JSON.stringify({ query: QUERY }),
        });
        expect(res.status).toBe(200);
        expect(res.headers.get('ratelimit-limit')).toBe('3');
        expect(res.headers.get('ratelimit-remaining')).toBe(String(remaining));
        expect(Number(res.headers.get('ratelimit-reset'))).toBeGreaterThan(0);
      }
      const before = p.graph.ownersCounters.rootFields;
      const refused = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${alice}` },
        body: JSON.stringify({ query: QUERY }),
      });
      expect(refused.status).toBe(429);
      const retryAfter = Number(refused.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(600);
      expect(refused.headers.get('ratelimit-remaining')).toBe('0');
      expect(await refused.json()).toEqual({
        errors: [
          {
            message: expect.stringMatching(/^Too many requests for this caller/) as unknown,
            extensions: { code: 'RATE_LIMITED' },
          },
        ],
      });
      expect(p.graph.ownersCounters.rootFields).toBe(before);
      // Another caller from the same address is not held back by Alice's count.
      expect((await postGraphQL(url, QUERY, { token: bob })).status).toBe(200);
    } finally {
      await p.close();
    }
  });

  it('limits failed authentications per client address: after the limit even a good token waits', async () => {
    const p = await platform({ RATE_LIMIT_AUTH_FAILURES: '2', RATE_LIMIT_WINDOW_SECONDS: '600' });
    try {
      const good = await tokenFor(p.env.config, { roles: ['SUPERVISOR'], accountId: 'acct-1' });
      const url = p.gateways[0]!.url;
      expect((await postGraphQL(url, QUERY, { token: 'not.a.token' })).status).toBe(401);
      expect((await postGraphQL(url, QUERY)).status).toBe(401);
      const refused = await postGraphQL(url, QUERY, { token: 'still.not.token' });
      expect(refused.status).toBe(429);
      expect(refused.body.errors?.[0]).toMatchObject({
        message: expect.stringMatching(/^Too many failed authentications from this address/) as unknown,
        extensions: { code: 'RATE_LIMITED' },
      });
      expect((await postGraphQL(url, QUERY, { token: good })).status).toBe(429);
      // A subscription socket from the same address is refused too.
      const connection = connect(url, good);
      const events = record(connection.client, SUBSCRIPTION);
      expect((await connection.closed).code).toBe(4429);
      await events.ended();
    } finally {
      await p.close();
    }
  });

  it('limits requests per client address, whoever signs them', async () => {
    const p = await platform({ RATE_LIMIT_ADDRESS_REQUESTS: '2', RATE_LIMIT_WINDOW_SECONDS: '600' });
    try {
      const url = p.gateways[0]!.url;
      const tokens = await Promise.all(
        ['a', 'b', 'c'].map((sub) =>
          tokenFor(p.env.config, { sub, roles: ['SUPERVISOR'], accountId: 'acct-1' }),
        ),
      );
      expect((await postGraphQL(url, QUERY, { token: tokens[0] })).status).toBe(200);
      expect((await postGraphQL(url, QUERY, { token: tokens[1] })).status).toBe(200);
      const refused = await postGraphQL(url, QUERY, { token: tokens[2] });
      expect(refused.status).toBe(429);
      expect(refused.body.errors?.[0]?.extensions).toEqual({ code: 'RATE_LIMITED' });
    } finally {
      await p.close();
    }
  });

  it('counts subscriptions over graphql-ws against the principal', async () => {
    const p = await platform({ RATE_LIMIT_PRINCIPAL_REQUESTS: '2', RATE_LIMIT_WINDOW_SECONDS: '600' });
    try {
      const token = await tokenFor(p.env.config, {
        sub: 'carol',
        roles: ['SUPERVISOR'],
        accountId: 'acct-1',
      });
      // The connection is one request, the first subscription the second, the next one is over.
      const connection = connect(p.gateways[0]!.url, token);
      const first = record(connection.client, SUBSCRIPTION);
      const second = record(connection.client, SUBSCRIPTION);
      await second.ended();
      expect(second.failure).toEqual([
        expect.objectContaining({ extensions: expect.objectContaining({ code: 'RATE_LIMITED' }) as unknown }),
      ]);
      first.unsubscribe();
      await connection.dispose();
    } finally {
      await p.close();
    }
  });
});

describe('rate limits shared by gateway replicas through Redis', () => {
  it('two replicas count one principal together: the limit holds across them', async () => {
    const p = await platform(
      { RATE_LIMIT_PRINCIPAL_REQUESTS: '4', RATE_LIMIT_WINDOW_SECONDS: '600' },
      { redis: true, replicas: 2 },
    );
    try {
      const token = await tokenFor(p.env.config, { sub: 'dave', roles: ['SUPERVISOR'], accountId: 'acct-1' });
      const [a, b] = p.gateways as [GatewayHandle, GatewayHandle];
      const statuses: number[] = [];
      for (const gateway of [a, b, a, b, a, b]) {
        statuses.push((await postGraphQL(gateway.url, QUERY, { token })).status);
      }
      expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
    } finally {
      await p.close();
    }
  });

  it("an address's failed sign-ins block it on every replica, requests arriving together included", async () => {
    const p = await platform(
      { RATE_LIMIT_AUTH_FAILURES: '2', RATE_LIMIT_WINDOW_SECONDS: '600' },
      { redis: true, replicas: 2 },
    );
    try {
      const good = await tokenFor(p.env.config, { sub: 'erin', roles: ['SUPERVISOR'], accountId: 'acct-1' });
      const [a, b] = p.gateways as [GatewayHandle, GatewayHandle];
      // Before any failure, requests arriving together all go through.
      const before = await Promise.all([a, a, a, b].map((g) => postGraphQL(g.url, QUERY, { token: good })));
      expect(before.map((r) => r.status)).toEqual([200, 200, 200, 200]);
      expect((await postGraphQL(a.url, QUERY, { token: 'not.a.token' })).status).toBe(401);
      expect((await postGraphQL(b.url, QUERY, { token: 'still.not.token' })).status).toBe(401);
      const after = await Promise.all([a, a, a, b, b].map((g) => postGraphQL(g.url, QUERY, { token: good })));
      expect(after.map((r) => r.status)).toEqual([429, 429, 429, 429, 429]);
      expect(after[0]!.body.errors?.[0]).toMatchObject({
        message: expect.stringMatching(/^Too many failed authentications from this address/) as unknown,
        extensions: { code: 'RATE_LIMITED' },
      });
    } finally {
      await p.close();
    }
  });
});
