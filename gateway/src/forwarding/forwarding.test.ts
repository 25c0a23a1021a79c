import { type TestEnvironment, testEnvironment, tokenFor } from '@lic/testing';
import { type GatewayHandle, createGateway } from '../server.js';
import { type TestGraph, startTestGraph } from '../../test/test-subgraphs.js';

interface Exchange {
  status: number;
  contentType: string | null;
  body: unknown;
}

interface Case {
  label: string;
  query: string;
  variables?: unknown;
  operationName?: string | null;
  extensions?: unknown;
  token?: 'admin' | 'tenant' | 'none' | 'garbage';
  accept?: string;
  /** Whether the forwarding gateway answers it without the query-plan executor. */
  forwarded: boolean;
}

const CASES: Case[] = [
  { label: 'a query one subgraph answers', query: '{ owner(id: "acct-1") { id name } }', forwarded: true },
  {
    label: 'aliases, variables and an operation name',
    query: 'query Who($id: ID!) { who: owner(id: $id) { key: id title: name } }',
    variables: { id: 'acct-2' },
    operationName: 'Who',
    forwarded: true,
  },
  {
    label: 'null operation name, variables and extensions (read as absent)',
    query: '{ owner(id: "acct-1") { name } }',
    operationName: null,
    variables: null,
    extensions: null,
    forwarded: true,
  },
  {
    label: 'variables that are not an object (left to Apollo)',
    query: '{ owner(id: "acct-1") { name } }',
    variables: ['acct-1'],
    forwarded: false,
  },
  {
    label: 'a persisted-query extension (left to Apollo)',
    query: '{ owner(id: "acct-1") { name } }',
    extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } },
    forwarded: false,
  },
  {
    label: 'a list and a nested field',
    query: '{ owners { id parent { name } } }',
    forwarded: true,
  },
  {
    label: 'a mutation',
    query: 'mutation($id: ID!, $name: String!) { renameOwner(id: $id, name: $name) { id name } }',
    variables: { id: 'acct-2', name: 'Globex Telephony' },
    forwarded: true,
  },
  {
    label: 'a resolver error leaking SQL (masked, partial data)',
    query: '{ owner(id: "acct-1") { name secret } }',
    forwarded: true,
  },
  {
    label: "another tenant's owner (FORBIDDEN from the subgraph, nullable root)",
    query: '{ owner(id: "acct-2") { name } }',
    token: 'tenant',
    forwarded: true,
  },
  {
    label: "a mutation of another tenant's owner (FORBIDDEN, non-null root: data null)",
    query: 'mutation { renameOwner(id: "acct-2", name: "Mine now") { id } }',
    token: 'tenant',
    forwarded: true,
  },
  {
    label: 'the graphql-response+json media type when asked for',
    query: '{ owner(id: "acct-1") { name } }',
    accept: 'application/graphql-response+json, application/json;q=0.9',
    forwarded: true,
  },
  {
    label: 'an Accept the gateway cannot serve (406, left to Apollo)',
    query: '{ owner(id: "acct-1") { name } }',
    accept: 'text/html',
    forwarded: false,
  },
  {
    label: 'variables that do not coerce (left to Apollo)',
    query: 'query($id: ID!) { owner(id: $id) { name } }',
    variables: { id: { not: 'an id' } },
    forwarded: false,
  },
  {
    label: 'a missing variable (left to Apollo)',
    query: 'query($id: ID!) { owner(id: $id) { name } }',
    forwarded: false,
  },
  {
    label: 'no token (left to Apollo)',
    query: '{ owner(id: "acct-1") { name } }',
    token: 'none',
    forwarded: false,
  },
  {
    label: 'a bad token (left to Apollo)',
    query: '{ owner(id: "acct-1") { name } }',
    token: 'garbage',
    forwarded: false,
  },
  {
    label: 'a cross-subgraph query (planned and executed)',
    query: '{ lastTick(topic: "acct-1/forwarding") { value owner { name } } }',
    forwarded: false,
  },
  {
    label: 'a fragment (planned and executed)',
    query: 'query { owner(id: "acct-1") { ...O } } fragment O on Owner { id name }',
    forwarded: false,
  },
  {
    label: '__typename at the root (the gateway answers it)',
    query: '{ __typename owner(id: "acct-1") { name } }',
    forwarded: false,
  },
  { label: 'a validation error', query: '{ owner(id: "acct-1") { nope } }', forwarded: false },
  { label: 'a syntax error', query: '{ owner(id: ', forwarded: false },
  {
    label: 'an unknown operation name',
    query: 'query A { owners { id } }',
    operationName: 'B',
    forwarded: false,
  },
];

const byLabel = (label: string): Case => {
  const found = CASES.find((c) => c.label === label);
  if (!found) throw new Error(`no case "${label}"`);
  return found;
};

describe('single-fetch forwarding', () => {
  let env: TestEnvironment;
  let graph: TestGraph;
  let forwarding: GatewayHandle;
  let planning: GatewayHandle;
  const tokens: Record<string, string> = {};

  const forwardedCount = async (gateway: GatewayHandle) =>
    (await gateway.metrics.forwarded.get()).values.reduce((sum, v) => sum + v.value, 0);

  const send = async (gateway: GatewayHandle, c: Case): Promise<Exchange> => {
    const token = c.token ?? 'admin';
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token !== 'none')
      headers['authorization'] = `Bearer ${token === 'garbage' ? 'a.b.c' : tokens[token]}`;
    if (c.accept) headers['accept'] = c.accept;
    const res = await fetch(gateway.url, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        query: c.query,
        variables: c.variables,
        operationName: c.operationName,
        extensions: c.extensions,
      }),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Compared as text.
    }
    return { status: res.status, contentType: res.headers.get('content-type'), body };
  };

  beforeAll(async () => {
    env = testEnvironment();
    graph = await startTestGraph(env.config);
    forwarding = await createGateway(env.config, { supergraphSdl: graph.supergraphSdl });
    planning = await createGateway(env.config, { supergraphSdl: graph.supergraphSdl, forwarding: false });
    tokens['admin'] = await tokenFor(env.config, { roles: ['LICENSING_ADMIN'] });
    tokens['tenant'] = await tokenFor(env.config, { roles: ['CUSTOMER_ADMIN'], accountId: 'acct-1' });
    graph.publish('acct-1/forwarding', 7);
  });

  afterAll(async () => {
    await forwarding.close();
    await planning.close();
    await graph.close();
    await env.cleanup();
  });

  test.each(CASES.map((c) => [c.label, c] as const))(
    '%s: the same answer forwarded as planned',
    async (_label, c) => {
      const before = await forwardedCount(forwarding);
      const calls = graph.ownersCounters.rootFields + graph.ticksCounters.rootFields;
      const forwarded = await send(forwarding, c);
      const forwardedCalls = graph.ownersCounters.rootFields + graph.ticksCounters.rootFields - calls;
      expect((await forwardedCount(forwarding)) - before).toBe(c.forwarded ? 1 : 0);
      const planned = await send(planning, c);
      expect(forwarded).toEqual(planned);
      // Each root field ran once per request either way: nothing is sent twice.
      expect(graph.ownersCounters.rootFields + graph.ticksCounters.rootFields - calls).toBe(
        forwardedCalls * 2,
      );
    },
  );

  test('forwarded answers carry what the client asked for', async () => {
    const answer = await send(forwarding, byLabel('aliases, variables and an operation name'));
    expect(answer).toEqual({
      status: 200,
      contentType: 'application/json; charset=utf-8',
      body: { data: { who: { key: 'acct-2', title: 'Globex Telephony' } } },
    });
    const masked = await send(forwarding, byLabel('a resolver error leaking SQL (masked, partial data)'));
    expect(JSON.stringify(masked.body)).not.toMatch(/SQLITE|password_hash|resolver\.ts/);
    expect(masked.body).toEqual({
      errors: [expect.objectContaining({ path: ['owner', 'secret'] })],
      data: { owner: { name: 'Acme Contact Centre', secret: null } },
    });
  });

  test('GATEWAY_FORWARDING=false sends everything through the executor', async () => {
    const off = testEnvironment({ env: { GATEWAY_FORWARDING: 'false' } });
    const gateway = await createGateway(off.config, { supergraphSdl: graph.supergraphSdl });
    try {
      const c = byLabel('a query one subgraph answers');
      expect(await send(gateway, c)).toEqual(await send(forwarding, c));
      expect(await forwardedCount(gateway)).toBe(0);
    } finally {
      await gateway.close();
      await off.cleanup();
    }
  });

  test('a subgraph that is down: the same clean error both ways, and the gateway answers after', async () => {
    await graph.owners.stop();
    try {
      const c: Case = { label: 'down', query: '{ owner(id: "acct-1") { name } }', forwarded: true };
      const forwarded = await send(forwarding, c);
      const planned = await send(planning, c);
      expect(forwarded).toEqual(planned);
      expect(forwarded.body).toEqual({
        errors: [
          expect.objectContaining({
            extensions: expect.objectContaining({ reason: 'SUBGRAPH_UNAVAILABLE', service: 'owners' }),
          }),
        ],
        data: { owner: null },
      });
      const mutation = await send(forwarding, {
        label: 'down mutation',
        query: 'mutation { renameOwner(id: "acct-1", name: "x") { id } }',
        forwarded: true,
      });
      expect(mutation.body).toEqual(
        (
          await send(planning, {
            label: 'down',
            query: 'mutation { renameOwner(id: "acct-1", name: "x") { id } }',
            forwarded: true,
          })
        ).body,
      );
      expect((mutation.body as { data: unknown }).data).toBeNull();
    } finally {
      await graph.owners.start();
    }
  });
});
