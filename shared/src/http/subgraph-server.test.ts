import { buildSchema } from 'graphql';
import { CachingTokenVerifier } from '../auth/caching-verifier.js';
import { createLogger } from '../logging/logger.js';
import { testEnvironment, tokenFor, type TestEnvironment } from '../testing/config.js';
import { type ServiceHandle, startSubgraphServer } from './subgraph-server.js';

const schema = buildSchema(`type Query { whoami: String! }`);
schema.getQueryType()!.getFields()['whoami']!.resolve = (
  _root,
  _args,
  ctx: { principal?: { sub: string } },
) => ctx.principal?.sub ?? 'nobody';

/** The subgraphs' HTTP server: GraphQL on /graphql, health and readiness, and its refusals. */
describe('subgraph HTTP server', () => {
  let env: TestEnvironment;
  let server: ServiceHandle;
  let ready = true;
  const base = () => server.url.replace(/\/graphql$/, '');
  const post = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    fetch(server.url, { method: 'POST', headers, body });

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
      ready: () => Promise.resolve(ready),
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

    const get = await fetch(`${server.url}?query=${encodeURIComponent('{ whoami }')}`, {
      headers: { 'apollo-require-preflight': 'true' },
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

  it('answers /healthz, /readyz (503 when not ready) and 404 elsewhere', async () => {
    expect(await (await fetch(`${base()}/healthz`)).json()).toEqual({ status: 'ok', service: 'probe' });
    expect((await fetch(`${base()}/readyz`)).status).toBe(200);
    ready = false;
    const notReady = await fetch(`${base()}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toEqual({ status: 'not ready', service: 'probe' });
    ready = true;
    const missing = await fetch(`${base()}/nowhere`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ errors: [{ extensions: { code: 'NOT_FOUND' } }] });
  });
});
