import { buildSchema } from 'graphql';
import { CachingTokenVerifier } from '../auth/caching-verifier.js';
import { ManualClock, systemClock } from '../clock/clock.js';
import { Readiness } from '../lifecycle/readiness.js';
import { createLogger } from '../logging/logger.js';
import { testEnvironment, testSigner, tokenFor, type TestEnvironment } from '@lic/testing';
import { type Client } from 'graphql-ws';
import { wsClient } from '@lic/testing';
import { GATEWAY_SIGNATURE_HEADER, GatewaySigner } from './gateway-signature.js';
import { type ServiceHandle, startSubgraphServer } from './subgraph-server.js';

const schema = buildSchema(`
  type Query { whoami: String! node: Node }
  type Node { name: String child: Node }
  type Subscription { ticks: Int! }
`);
schema.getSubscriptionType()!.getFields()['ticks']!.subscribe = async function* ticks() {
  yield { ticks: 1 };
};
schema.getQueryType()!.getFields()['whoami']!.resolve = (
  _root,
  _args,
  ctx: { principal?: { sub: string } },
) => ctx.principal?.sub ?? 'nobody';

/** The subgraphs' HTTP server: GraphQL on /graphql, health and readiness, and its refusals. */
describe('subgraph HTTP server', () => {
  let env: TestEnvironment;
  let server: ServiceHandle;
  let databaseUp = true;
  let redisUp = true;
  const up = (flag: () => boolean, what: string) => async () => {
    if (!flag()) throw new Error(`${what} refused the connection`);
  };
  const base = () => server.url.replace(/\/graphql$/, '');
  /** Signed as the gateway signs: what reaches a subgraph through the gateway. */
  const post = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    fetch(server.url, {
      method: 'POST',
      headers: {
        ...headers,
        ...testSigner(env.config).headers({
          method: 'POST',
          path: '/graphql',
          authorization: headers['authorization'],
          body,
        }),
      },
      body,
    });

  beforeAll(async () => {
    env = testEnvironment({ database: 'sqlite', env: { MAX_REQUEST_BYTES: '2048' } });
    server = await startSubgraphServer({
      name: 'probe',
      config: env.config,
      port: 0,
      schema,
      logger: createLogger('probe', 'silent'),
      verifier: new CachingTokenVerifier(env.config),
      createContext: (principal) => ({ principal }),
      // The probe schema has no Mutation: nothing is audited.
      audit: { clock: systemClock, record: () => Promise.resolve() },
      readiness: new Readiness({
        service: 'probe',
        cacheMs: 0,
        checks: [
          { name: 'database', severity: 'required', probe: up(() => databaseUp, 'database') },
          { name: 'redis', severity: 'optional', probe: up(() => redisUp, 'redis') },
        ],
      }),
    });
  });
  afterAll(async () => {
    await server.close();
    await env.cleanup();
  });

  it('answers GraphQL over POST with the caller from the bearer token, and over GET', async () => {
    const token = await tokenFor(env.config, { roles: ['LICENSING_ADMIN'], sub: 'alice' });
    const res = await post(JSON.stringify({ query: '{ whoami }' }), {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/(graphql-response\+)?json/);
    expect(await res.json()).toEqual({ data: { whoami: 'alice' } });

    const search = `?query=${encodeURIComponent('{ whoami }')}`;
    const get = await fetch(`${server.url}${search}`, {
      headers: {
        'apollo-require-preflight': 'true',
        ...testSigner(env.config).headers({
          method: 'GET',
          path: `/graphql${search}`,
          authorization: undefined,
          body: undefined,
        }),
      },
    });
    expect(await get.json()).toEqual({ data: { whoami: 'nobody' } });
  });

  it('refuses a bad token as UNAUTHENTICATED', async () => {
    const res = await post(JSON.stringify({ query: '{ whoami }' }), {
      'content-type': 'application/json',
      authorization: 'Bearer not-a-token',
    });
    const body = (await res.json()) as { errors: Array<{ extensions: { code: string } }> };
    expect(res.status).toBe(401);
    expect(body.errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a body over the limit with 413, malformed JSON with 400, both as GraphQL errors', async () => {
    const big = await post(JSON.stringify({ query: `{ whoami } # ${'x'.repeat(4096)}` }));
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({
      errors: [{ extensions: { code: 'BAD_USER_INPUT', reason: 'entity.too.large' } }],
    });
    const malformed = await post('{"query": ');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({
      errors: [{ extensions: { code: 'BAD_USER_INPUT', reason: 'entity.parse.failed' } }],
    });
    // The server goes on answering.
    expect((await post(JSON.stringify({ query: '{ whoami }' }))).status).toBe(200);
  });

  it('refuses a body that is not JSON through CSRF prevention, never a server error', async () => {
    const res = await post('{ whoami }', { 'content-type': 'text/plain' });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/CSRF|preflight/i);
  });

  it('answers /healthz, /readyz (200 degraded without an optional dependency, 503 without a required one) and 404 elsewhere', async () => {
    expect(await (await fetch(`${base()}/healthz`)).json()).toEqual({ status: 'ok', service: 'probe' });
    const ready = await fetch(`${base()}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ready',
      service: 'probe',
      checks: { database: { ok: true }, redis: { ok: true } },
    });
    redisUp = false;
    const degraded = await fetch(`${base()}/readyz`);
    expect(degraded.status).toBe(200);
    expect(await degraded.json()).toMatchObject({
      status: 'degraded',
      checks: { database: { ok: true }, redis: { ok: false, error: 'redis refused the connection' } },
    });
    databaseUp = false;
    const notReady = await fetch(`${base()}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toMatchObject({
      status: 'not ready',
      service: 'probe',
      checks: { database: { ok: false, error: 'database refused the connection' }, redis: { ok: false } },
    });
    databaseUp = true;
    redisUp = true;
    expect((await fetch(`${base()}/readyz`)).status).toBe(200);
    const missing = await fetch(`${base()}/nowhere`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ errors: [{ extensions: { code: 'NOT_FOUND' } }] });
  });
});

/**
 * Issue 15, hole 1: "Subgraphs trust whoever reaches them ... serve `_service` and introspection
 * anonymously and apply no depth/alias limits (300 aliases ran directly; the gateway stops at 30)."
 * A subgraph answers only requests the gateway signed, and keeps operation limits of its own.
 */
describe('subgraph HTTP server: answers only the gateway', () => {
  let env: TestEnvironment;
  let server: ServiceHandle;
  const unsigned = (body: string, headers: Record<string, string> = {}) =>
    fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const signedBy = (signer: GatewaySigner, body: string, signedBody = body) =>
    unsigned(
      body,
      signer.headers({ method: 'POST', path: '/graphql', authorization: undefined, body: signedBody }),
    );
  const refusalOf = async (res: Response) => {
    const body = (await res.json()) as {
      data?: unknown;
      errors: Array<{ extensions: Record<string, unknown> }>;
    };
    expect(body.data).toBeUndefined();
    return {
      status: res.status,
      code: body.errors[0]!.extensions['code'],
      reason: body.errors[0]!.extensions['reason'],
    };
  };

  /** The first thing a subscription gets: a payload, errors, or the close code of a refused connection. */
  const firstOutcome = (client: Client, query: string) =>
    new Promise<unknown>((resolve) => {
      client.subscribe(
        { query },
        {
          next: (value) => resolve(value),
          error: (error: unknown) =>
            resolve(
              Array.isArray(error)
                ? { errors: error as unknown[] }
                : { closed: (error as { code?: number }).code },
            ),
          complete: () => resolve('complete'),
        },
      );
    });

  beforeAll(async () => {
    env = testEnvironment({ database: 'sqlite' });
    server = await startSubgraphServer({
      name: 'probe',
      config: env.config,
      port: 0,
      schema,
      logger: createLogger('probe', 'silent'),
      verifier: new CachingTokenVerifier(env.config),
      createContext: (principal) => ({ principal }),
      // The probe schema has no Mutation: nothing is audited.
      audit: { clock: systemClock, record: () => Promise.resolve() },
    });
  });
  afterAll(async () => {
    await server.close();
    await env.cleanup();
  });

  it('refuses an unsigned request, introspection included, with 401 UNAUTHENTICATED and no data', async () => {
    expect(await refusalOf(await unsigned(JSON.stringify({ query: '{ whoami }' })))).toEqual({
      status: 401,
      code: 'UNAUTHENTICATED',
      reason: 'gateway.signature.missing',
    });
    const introspection = JSON.stringify({ query: '{ __schema { queryType { name } } }' });
    expect((await refusalOf(await unsigned(introspection))).reason).toBe('gateway.signature.missing');
    const get = await fetch(`${server.url}?query=${encodeURIComponent('{ whoami }')}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect((await refusalOf(get)).status).toBe(401);
    // A user's valid token is not enough: it says who asks, not that the gateway checked the request.
    const token = await tokenFor(env.config, { roles: ['LICENSING_ADMIN'] });
    const withToken = await unsigned(JSON.stringify({ query: '{ whoami }' }), {
      authorization: `Bearer ${token}`,
    });
    expect((await refusalOf(withToken)).reason).toBe('gateway.signature.missing');
  });

  it('refuses another secret, another body, a malformed and a stale signature', async () => {
    const body = JSON.stringify({ query: '{ whoami }' });
    const stranger = new GatewaySigner('s'.repeat(40));
    expect((await refusalOf(await signedBy(stranger, body))).reason).toBe('gateway.signature.invalid');
    const tampered = JSON.stringify({ query: '{ node { name } }' });
    expect((await refusalOf(await signedBy(testSigner(env.config), tampered, body))).reason).toBe(
      'gateway.signature.invalid',
    );
    const malformed = await unsigned(body, { [GATEWAY_SIGNATURE_HEADER]: 'yes, from the gateway' });
    expect((await refusalOf(malformed)).reason).toBe('gateway.signature.malformed');
    const past = new GatewaySigner(
      env.config.subgraphSigning.secret,
      new ManualClock(new Date(Date.now() - 120_000)),
    );
    expect(await refusalOf(await signedBy(past, body))).toEqual({
      status: 401,
      code: 'UNAUTHENTICATED',
      reason: 'gateway.signature.stale',
    });
    // The same request, signed now with the right secret, is answered.
    const ok = await signedBy(testSigner(env.config), body);
    expect(await ok.json()).toEqual({ data: { whoami: 'nobody' } });
  });

  it('refuses an unsigned graphql-ws connection and accepts a signed one', async () => {
    const token = await tokenFor(env.config, { roles: ['LICENSING_ADMIN'] });
    // A valid user token without the gateway's signature: refused.
    const stranger = wsClient(server.url, token, null);
    expect(await firstOutcome(stranger, 'subscription { ticks }')).toEqual({ closed: 4403 });
    const client = wsClient(server.url, token);
    expect(await firstOutcome(client, 'subscription { ticks }')).toEqual({ data: { ticks: 1 } });
    await Promise.all([stranger.dispose(), client.dispose()]);
  });

  it('keeps its own operation limits: 300 aliases or a deep query are refused even when signed', async () => {
    const aliases = `{ ${Array.from({ length: 300 }, (_, i) => `a${i}: whoami`).join(' ')} }`;
    const wide = await signedBy(testSigner(env.config), JSON.stringify({ query: aliases }));
    expect(wide.status).toBe(400);
    expect(await wide.json()).toMatchObject({
      errors: [{ extensions: { code: 'QUERY_TOO_COMPLEX', aliases: 300, maxAliases: 30 } }],
    });
    const deep = `{ node { ${'child { '.repeat(20)}name${' }'.repeat(20)} } }`;
    const tooDeep = await signedBy(testSigner(env.config), JSON.stringify({ query: deep }));
    expect(tooDeep.status).toBe(400);
    expect(await tooDeep.json()).toMatchObject({ errors: [{ extensions: { code: 'QUERY_TOO_COMPLEX' } }] });
    // Nesting thousands deep is refused as too complex (no stack exhaustion, no 500), a document
    // past the parser's token bound as a syntax error: both 400.
    const abyss = `{ node { ${'child { '.repeat(6000)}name${' }'.repeat(6000)} } }`;
    const abyssal = await signedBy(testSigner(env.config), JSON.stringify({ query: abyss }));
    expect(abyssal.status).toBe(400);
    const tokens = `{ ${'whoami '.repeat(25_000)}}`;
    const tooLong = await signedBy(testSigner(env.config), JSON.stringify({ query: tokens }));
    expect(tooLong.status).toBe(400);
    const client = wsClient(server.url, await tokenFor(env.config, { roles: ['LICENSING_ADMIN'] }));
    const query = `subscription { ${Array.from({ length: 40 }, (_, i) => `t${i}: ticks`).join(' ')} }`;
    expect(await firstOutcome(client, query)).toMatchObject({
      errors: [{ extensions: { code: 'QUERY_TOO_COMPLEX' } }],
    });
    await client.dispose();
  });

  it('keeps health and readiness open', async () => {
    const base = server.url.replace(/\/graphql$/, '');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
  });
});
