import { createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { type TestEnvironment, eventually, testEnvironment, tokenFor } from '@lic/testing';
import WebSocket from 'ws';
import { type GatewayHandle, createGateway } from './server.js';
import { postGraphQL } from '../test/http.js';
import { type TestGraph, startTestGraph } from '../test/test-subgraphs.js';
import { connect, record, until } from '../test/ws-clients.js';

const deepOwner = (levels: number) =>
  `{ owner(id: "acct-1") { ${'parent { '.repeat(levels)}name${' }'.repeat(levels)} } }`;
const aliasBomb = `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: owner(id: "acct-1") { name }`).join(' ')} }`;
const costBomb = '{ owners { friends { friends { friends { friends { name } } } } } }';

describe('gateway hardening', () => {
  let env: TestEnvironment;
  let graph: TestGraph;
  let gateway: GatewayHandle;
  let token: string;
  const metricsText = async () => (await fetch(new URL('/metrics', gateway.url))).text();

  beforeAll(async () => {
    env = testEnvironment({ env: { MAX_REQUEST_BYTES: '20000' } });
    graph = await startTestGraph(env.config);
    gateway = await createGateway(env.config, {
      supergraphSdl: graph.supergraphSdl,
      subscriptions: { lingerMs: 50 },
    });
    token = await tokenFor(env.config, { roles: ['LICENSING_ADMIN'] });
  });

  afterAll(async () => {
    await gateway.close();
    await graph.close();
    await env.cleanup();
  });

  test.each([
    ['a deep query', deepOwner(15), /too deep: depth 17 exceeds the limit of 12/],
    ['an alias bomb', aliasBomb, /too many aliases: 40 exceeds the limit of 30/],
    ['a query whose nested lists explode', costBomb, /estimated cost 111110 exceeds the limit of 5000/],
  ])('%s is refused with QUERY_TOO_COMPLEX before any subgraph is called', async (_label, query, message) => {
    const before = { owners: graph.ownersCounters.rootFields, ticks: graph.ticksCounters.rootFields };
    const result = await postGraphQL(gateway.url, query, { token });
    expect(result.status).toBe(400);
    expect(result.body.errors).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(message),
        extensions: expect.objectContaining({ code: 'QUERY_TOO_COMPLEX' }),
      }),
    ]);
    // Refused before authentication and planning too: even without a token.
    expect((await postGraphQL(gateway.url, query)).body.errors?.[0]?.extensions?.['code']).toBe(
      'QUERY_TOO_COMPLEX',
    );
    expect({ owners: graph.ownersCounters.rootFields, ticks: graph.ticksCounters.rootFields }).toEqual(
      before,
    );
  });

  test('deep and alias-bomb subscriptions are refused before any subgraph is called', async () => {
    const before = graph.ticksCounters.totalSubscriptions;
    const { client, dispose } = connect(gateway.url, token);
    const deep = record(
      client,
      `subscription { tick(topic: "acct-1/x") { owner { ${'parent { '.repeat(12)}name${' }'.repeat(12)} } } }`,
    );
    const aliases = record(
      client,
      `subscription { tick(topic: "acct-1/x") { ${Array.from({ length: 31 }, (_, i) => `v${i}: value`).join(' ')} } }`,
    );
    await Promise.all([deep.ended(), aliases.ended()]);
    expect(deep.failure).toEqual([
      expect.objectContaining({
        extensions: expect.objectContaining({ code: 'QUERY_TOO_COMPLEX', depth: 15, maxDepth: 12 }),
      }),
    ]);
    expect(aliases.failure).toEqual([
      expect.objectContaining({
        extensions: expect.objectContaining({ code: 'QUERY_TOO_COMPLEX', aliases: 31 }),
      }),
    ]);
    expect(graph.ticksCounters.totalSubscriptions).toBe(before);
    await dispose();
  });

  test('oversized requests are refused: 413 over HTTP, close 1009 over graphql-ws', async () => {
    const big = await postGraphQL(gateway.url, '{ owners { name } }', {
      token,
      variables: { pad: 'x'.repeat(25_000) },
    });
    expect(big.status).toBe(413);
    expect(big.body.errors).toEqual([
      expect.objectContaining({
        message: 'The request is larger than 20000 bytes',
        extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }),
      }),
    ]);
    const malformed = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":',
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({
      errors: [expect.objectContaining({ message: 'The request body is not valid JSON' })],
    });

    const socket = new WebSocket(gateway.url.replace('http', 'ws'), 'graphql-transport-ws');
    await new Promise((resolve) => socket.once('open', resolve));
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    socket.send(
      JSON.stringify({
        type: 'connection_init',
        payload: { authorization: `Bearer ${token}`, pad: 'x'.repeat(25_000) },
      }),
    );
    expect(await closed).toBe(1009);
  });

  test('CSRF prevention: simple cross-site requests are refused', async () => {
    const form = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ owners { name } }' }),
    });
    expect(form.status).toBe(400);
    expect(await form.text()).toMatch(/Cross-Site Request Forgery/);
    const get = await fetch(`${gateway.url}?query=${encodeURIComponent('{ owners { name } }')}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(get.status).toBe(400);
    const preflighted = await fetch(`${gateway.url}?query=${encodeURIComponent('{ owners { name } }')}`, {
      headers: { authorization: `Bearer ${token}`, 'apollo-require-preflight': 'true' },
    });
    expect(await preflighted.json()).toEqual({
      data: { owners: [{ name: 'Acme Contact Centre' }, { name: 'Globex Telephony' }] },
    });
  });

  test('internal errors are masked: no SQL, no stack, no internal message', async () => {
    const result = await postGraphQL(gateway.url, '{ owner(id: "acct-1") { name secret } }', { token });
    expect(result.body).toEqual({
      data: { owner: { name: 'Acme Contact Centre', secret: null } },
      errors: [
        {
          message: 'Internal server error',
          path: ['owner', 'secret'],
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
        },
      ],
    });
    expect(result.text).not.toMatch(/SQLITE|password_hash|resolver\.ts|stacktrace/);
  });

  test('a subgraph that is down: a clean error for its queries, the others answer, /readyz says degraded naming it (every subgraph down: not ready), the gateway lives on', async () => {
    const readyz = async () => {
      const res = await fetch(new URL('/readyz', gateway.url));
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    // Reports are reused for a second: an orchestrator sees a change within about that.
    const readyzUntil = (status: string) =>
      eventually(async () => {
        const answer = await readyz();
        return answer.body['status'] === status ? answer : undefined;
      }, 5000);
    expect(await readyzUntil('ready')).toMatchObject({
      status: 200,
      body: { checks: { supergraph: { ok: true }, owners: { ok: true }, ticks: { ok: true } } },
    });
    await graph.owners.stop();
    try {
      const result = await postGraphQL(gateway.url, '{ owner(id: "acct-1") { name } }', { token });
      expect(result.body.errors).toEqual([
        {
          message: 'The owners service is unavailable; try again shortly',
          extensions: { code: 'INTERNAL_SERVER_ERROR', reason: 'SUBGRAPH_UNAVAILABLE', service: 'owners' },
        },
      ]);
      // Still serving what does not need the owners subgraph: 200 (kept in rotation), degraded.
      const degraded = await readyzUntil('degraded');
      expect(degraded).toMatchObject({
        status: 200,
        body: {
          service: 'gateway',
          checks: {
            supergraph: { ok: true },
            owners: { ok: false, error: expect.any(String), capability: 'the fields of subgraph owners' },
            ticks: { ok: true, status: 'ready' },
          },
          affected: ['owners: the fields of subgraph owners'],
        },
      });
      expect(
        (await postGraphQL(gateway.url, '{ lastTick(topic: "acct-1/nothing") { value } }', { token })).body,
      ).toEqual({ data: { lastTick: null } });
      // Every subgraph down: the gateway cannot serve at all.
      await graph.ticks.stop();
      expect(await readyzUntil('not ready')).toMatchObject({
        status: 503,
        body: { checks: { owners: { ok: false }, ticks: { ok: false } } },
      });
      expect((await fetch(new URL('/healthz', gateway.url))).status).toBe(200);
    } finally {
      await graph.ticks.start();
      await graph.owners.start();
    }
    expect((await readyzUntil('ready')).status).toBe(200);
    expect((await postGraphQL(gateway.url, '{ owner(id: "acct-1") { name } }', { token })).body).toEqual({
      data: { owner: { name: 'Acme Contact Centre' } },
    });
  });

  test('Prometheus metrics: requests, errors, latency, open and upstream subscriptions', async () => {
    await postGraphQL(gateway.url, '{ owners { name } }', { token });
    await postGraphQL(gateway.url, aliasBomb, { token });
    const { client, dispose } = connect(gateway.url, token);
    const events = [
      record(client, 'subscription { tick(topic: "acct-1/m") { value } }'),
      record(client, 'subscription { tick(topic: "acct-1/m") { value } }'),
    ];
    await until(() => gateway.subscriptionStats().clientSubscriptions === 2);

    const text = await metricsText();
    expect(text).toMatch(/gateway_graphql_requests_total\{transport="http",operation="query"\} [1-9]/);
    expect(text).toMatch(/gateway_graphql_requests_total\{transport="ws",operation="subscription"\} [1-9]/);
    expect(text).toMatch(/gateway_graphql_errors_total\{code="QUERY_TOO_COMPLEX"\} [1-9]/);
    expect(text).toMatch(
      /gateway_graphql_request_duration_seconds_bucket\{le="\+Inf",transport="http",operation="query"\} [1-9]/,
    );
    expect(text).toMatch(/^gateway_subscriptions_open 2$/m);
    expect(text).toMatch(/^gateway_upstream_subscriptions 1$/m);
    expect(text).toMatch(/^gateway_websocket_connections 1$/m);
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
    events.forEach((e) => e.unsubscribe());
    await dispose();
  });
});

describe('per-subgraph timeouts', () => {
  test('a subgraph that accepts the connection but never answers yields a clean error after the timeout', async () => {
    const env = testEnvironment({ env: { SUBGRAPH_TIMEOUT_MS: '300' } });
    const graph = await startTestGraph(env.config);
    const blackHole = createServer(() => undefined); // takes requests, never answers
    await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
    const { port } = blackHole.address() as AddressInfo;
    const supergraphSdl = graph.supergraphSdl.replace(graph.owners.url, `http://127.0.0.1:${port}/graphql`);
    const gateway = await createGateway(env.config, { supergraphSdl });
    try {
      const token = await tokenFor(env.config, { roles: ['LICENSING_ADMIN'] });
      const started = Date.now();
      const result = await postGraphQL(gateway.url, '{ owner(id: "acct-1") { name } }', { token });
      expect(Date.now() - started).toBeLessThan(5000);
      expect(result.body.errors).toEqual([
        expect.objectContaining({
          extensions: { code: 'INTERNAL_SERVER_ERROR', reason: 'SUBGRAPH_UNAVAILABLE', service: 'owners' },
        }),
      ]);
    } finally {
      await gateway.close();
      blackHole.closeAllConnections();
      blackHole.close();
      await graph.close();
      await env.cleanup();
    }
  });
});

describe('introspection', () => {
  let env: TestEnvironment;
  let graph: TestGraph;

  beforeAll(async () => {
    env = testEnvironment();
    graph = await startTestGraph(env.config);
  });

  afterAll(async () => {
    await graph.close();
    await env.cleanup();
  });

  test('is on in development and off in production', async () => {
    const introspect = '{ __schema { queryType { name } } }';
    const development = await createGateway(env.config, { supergraphSdl: graph.supergraphSdl });
    const production = await createGateway(
      { ...env.config, env: 'production', introspection: false },
      { supergraphSdl: graph.supergraphSdl },
    );
    try {
      const token = await tokenFor(env.config, { roles: ['LICENSING_ADMIN'] });
      expect((await postGraphQL(development.url, introspect, { token })).body).toEqual({
        data: { __schema: { queryType: { name: 'Query' } } },
      });
      const refused = await postGraphQL(production.url, introspect, { token });
      expect(refused.body.data).toBeUndefined();
      expect(refused.body.errors?.[0]?.message).toMatch(/introspection is not allowed/i);
      const overSocket = connect(production.url, token);
      const viaWs = record(overSocket.client, introspect);
      await viaWs.ended();
      expect(JSON.stringify(viaWs.failure ?? viaWs.results)).toMatch(/introspection/i);
      await overSocket.dispose();
    } finally {
      await development.close();
      await production.close();
    }
  });
});
