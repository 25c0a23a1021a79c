import { SignJWT } from 'jose';
import { signToken } from '@lic/shared';
import { type TestEnvironment, testEnvironment, tokenFor } from '@lic/testing';
import { type GatewayHandle, createGateway } from './server.js';
import { postGraphQL } from '../test/http.js';
import { type TestGraph, startTestGraph } from '../test/test-subgraphs.js';
import { connect, record, until } from '../test/ws-clients.js';

const QUERY = '{ owner(id: "acct-1") { name } }';
const MUTATION = 'mutation { renameOwner(id: "acct-1", name: "Acme") { name } }';
const SUBSCRIPTION = 'subscription { tick(topic: "acct-1/calls") { value owner { name } } }';

describe('authentication and authorisation at the gateway', () => {
  let env: TestEnvironment;
  let graph: TestGraph;
  let gateway: GatewayHandle;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    env = testEnvironment();
    graph = await startTestGraph(env.config);
    gateway = await createGateway(env.config, {
      supergraphSdl: graph.supergraphSdl,
      subscriptions: { lingerMs: 50 },
    });
    const claims = { roles: ['CUSTOMER_ADMIN' as const], accountId: 'acct-1' };
    tokens['badSignature'] = await signToken(
      { jwt: { ...env.config.jwt, secret: 'a-different-secret-of-at-least-32-characters' } },
      { sub: 'mallory', ...claims },
    );
    tokens['expired'] = await signToken(env.config, { sub: 'late', ...claims }, -60);
    // Issue 15, hole 5: "tokens without exp, or with a 100-year exp, are accepted".
    const unsigned = () =>
      new SignJWT({ ...claims })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('forever')
        .setIssuer(env.config.jwt.issuer)
        .setAudience(env.config.jwt.audience)
        .setIssuedAt();
    const secret = new TextEncoder().encode(env.config.jwt.secret);
    tokens['noExp'] = await unsigned().sign(secret);
    tokens['century'] = await unsigned()
      .setExpirationTime(Math.floor(Date.now() / 1000) + 100 * 365 * 86_400)
      .sign(secret);
    // Issue 15, hole 4: a token mixing SERVER with a person's role.
    tokens['mixed'] = await tokenFor(env.config, {
      roles: ['CUSTOMER_ADMIN', 'SERVER'],
      serverId: 'srv-1',
      accountId: 'acct-1',
    });
    tokens['otherTenant'] = await tokenFor(env.config, {
      roles: ['CUSTOMER_ADMIN', 'SUPERVISOR'],
      accountId: 'acct-2',
    });
    tokens['serverRole'] = await tokenFor(env.config, {
      roles: ['SERVER'],
      serverId: 'srv-1',
      accountId: 'acct-1',
    });
    tokens['supervisor'] = await tokenFor(env.config, { roles: ['SUPERVISOR'], accountId: 'acct-1' });
    tokens['customerAdmin'] = await tokenFor(env.config, claims);
  });

  afterAll(async () => {
    await gateway.close();
    await graph.close();
    await env.cleanup();
  });

  const unauthenticated: Array<[string, string | undefined, string]> = [
    ['no token', undefined, 'A bearer token is required (Authorization: Bearer <token>)'],
    ['a bad signature', 'badSignature', 'Token is invalid'],
    ['an expired token', 'expired', 'Token has expired'],
    ['a token without exp', 'noExp', 'Token must carry an expiry (exp)'],
    ['a token with a 100-year exp', 'century', 'Token lives longer than the allowed 86400 seconds'],
    ['a token mixing SERVER with another role', 'mixed', 'A SERVER token carries no other role'],
  ];

  describe.each(unauthenticated)('with %s', (_label, tokenName, message) => {
    test.each([
      ['query', QUERY],
      ['mutation', MUTATION],
    ])('a %s is refused with 401 UNAUTHENTICATED before any subgraph is called', async (_kind, operation) => {
      const before = graph.ownersCounters.rootFields;
      const result = await postGraphQL(gateway.url, operation, {
        token: tokenName ? tokens[tokenName] : undefined,
      });
      expect(result.status).toBe(401);
      expect(result.body.errors).toEqual([
        expect.objectContaining({ message, extensions: { code: 'UNAUTHENTICATED' } }),
      ]);
      expect(graph.ownersCounters.rootFields).toBe(before);
    });

    test('a subscription socket is closed with 4401 and the reason', async () => {
      const connection = connect(gateway.url, tokenName ? tokens[tokenName] : undefined);
      const events = record(connection.client, SUBSCRIPTION);
      expect(await connection.closed).toEqual({ code: 4401, reason: message });
      await events.ended();
      expect(events.results).toEqual([]);
      expect(graph.ticksCounters.activeSubscriptions).toBe(0);
    });
  });

  test('a token in the upgrade request Authorization header, or bare in connectionParams, is accepted too', async () => {
    // Browsers cannot set headers on a WebSocket; other clients may: the gateway reads either.
    const viaHeader = connect(gateway.url, undefined, {
      headers: { authorization: `Bearer ${tokens['supervisor']}` },
    });
    const bare = connect(gateway.url, undefined, { params: { authorization: tokens['supervisor'] } });
    const first = record(viaHeader.client, SUBSCRIPTION);
    const second = record(bare.client, SUBSCRIPTION);
    await until(() => gateway.subscriptionStats().clientSubscriptions === 2);
    await until(() => graph.subscribers('acct-1/calls') === 1);
    graph.publish('acct-1/calls', 11);
    for (const events of [first, second]) {
      expect((await events.next(1)).data).toEqual({
        tick: { value: 11, owner: { name: 'Acme Contact Centre' } },
      });
    }
    await Promise.all([viaHeader.dispose(), bare.dispose()]);
    await until(() => gateway.subscriptionStats().upstreamSubscriptions === 0);
  });

  test('wrong tenant: FORBIDDEN from the subgraph reaches the client, for queries, mutations and subscriptions', async () => {
    const query = await postGraphQL(gateway.url, QUERY, { token: tokens['otherTenant'] });
    expect(query.body).toEqual({
      data: { owner: null },
      errors: [
        expect.objectContaining({
          message: 'This account belongs to another tenant',
          extensions: { code: 'FORBIDDEN' },
        }),
      ],
    });
    const mutation = await postGraphQL(gateway.url, MUTATION, { token: tokens['otherTenant'] });
    expect(mutation.body.errors).toEqual([expect.objectContaining({ extensions: { code: 'FORBIDDEN' } })]);
    expect(graph.ownerNames.get('acct-1')).toBe('Acme Contact Centre');

    const connection = connect(gateway.url, tokens['otherTenant']);
    const events = record(connection.client, SUBSCRIPTION);
    await events.ended();
    expect(events.results).toEqual([
      {
        data: null,
        errors: [
          expect.objectContaining({
            message: 'This account belongs to another tenant',
            extensions: { code: 'FORBIDDEN' },
          }),
        ],
      },
    ]);
    expect(events.completed).toBe(true);
    await until(() => gateway.subscriptionStats().upstreamSubscriptions === 0);
    await connection.dispose();
  });

  test('wrong role: FORBIDDEN, for queries, mutations and subscriptions', async () => {
    const query = await postGraphQL(gateway.url, '{ lastTick(topic: "acct-1/calls") { value } }', {
      token: tokens['serverRole'],
    });
    expect(query.body.errors).toEqual([expect.objectContaining({ extensions: { code: 'FORBIDDEN' } })]);
    const mutation = await postGraphQL(
      gateway.url,
      'mutation { publishTick(topic: "acct-1/calls", value: 1) { value } }',
      {
        token: tokens['supervisor'],
      },
    );
    expect(mutation.body.errors).toEqual([
      expect.objectContaining({
        message: 'This operation needs one of the roles LICENSING_ADMIN, CUSTOMER_ADMIN',
        extensions: { code: 'FORBIDDEN' },
      }),
    ]);

    const connection = connect(gateway.url, tokens['serverRole']);
    const events = record(connection.client, SUBSCRIPTION);
    await events.ended();
    expect(events.results).toEqual([
      { data: null, errors: [expect.objectContaining({ extensions: { code: 'FORBIDDEN' } })] },
    ]);
    await connection.dispose();
  });

  test('the token is forwarded: the subgraphs see the caller (a permitted mutation succeeds end to end)', async () => {
    const connection = connect(gateway.url, tokens['supervisor']);
    const events = record(connection.client, SUBSCRIPTION);
    await until(() => graph.subscribers('acct-1/calls') === 1);
    const mutation = await postGraphQL(
      gateway.url,
      'mutation { publishTick(topic: "acct-1/calls", value: 4) { value } }',
      {
        token: tokens['customerAdmin'],
      },
    );
    expect(mutation.body).toEqual({ data: { publishTick: { value: 4 } } });
    expect((await events.next(1)).data).toEqual({
      tick: { value: 4, owner: { name: 'Acme Contact Centre' } },
    });
    await connection.dispose();
  });

  test('a token that expires while the socket is open closes it with 4401 and releases its subscriptions', async () => {
    const shortLived = await signToken(
      env.config,
      { sub: 'brief', roles: ['SUPERVISOR'], accountId: 'acct-1' },
      3,
    );
    const connection = connect(gateway.url, shortLived);
    const events = record(connection.client, SUBSCRIPTION);
    await until(() => gateway.subscriptionStats().upstreamSubscriptions === 1);
    expect(await connection.closed).toEqual({ code: 4401, reason: 'Token has expired' });
    await events.ended();
    await until(() => gateway.subscriptionStats().clientSubscriptions === 0);
    await until(() => graph.ticksCounters.activeSubscriptions === 0);
  });
});
