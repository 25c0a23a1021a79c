import { testEnvironment, tokenFor } from '@lic/testing';
import { createGateway } from './server.js';
import { postGraphQL } from '../test/http.js';
import { startTestGraph } from '../test/test-subgraphs.js';

describe('subgraph requests', () => {
  const env = testEnvironment();
  let graph: Awaited<ReturnType<typeof startTestGraph>>;
  let gateway: Awaited<ReturnType<typeof createGateway>>;

  beforeAll(async () => {
    graph = await startTestGraph(env.config);
    gateway = await createGateway(env.config, { supergraphSdl: graph.supergraphSdl });
  });

  afterAll(async () => {
    await gateway.close();
    await graph.close();
    await env.cleanup();
  });

  test('identical queries in flight at once share one subgraph request; each caller gets the whole answer', async () => {
    const token = await tokenFor(env.config, { roles: ['LICENSING_ADMIN'] });
    const before = graph.ownersCounters.rootFields;
    const query = '{ owner: ownerSlowly(id: "acct-1", delayMs: 300) { id name } }';
    const results = await Promise.all(
      Array.from({ length: 10 }, () => postGraphQL(gateway.url, query, { token })),
    );
    for (const result of results)
      expect(result.body).toEqual({ data: { owner: { id: 'acct-1', name: 'Acme Contact Centre' } } });
    expect(graph.ownersCounters.rootFields - before).toBe(1);
  });

  test('callers with different tokens, and mutations, are never merged', async () => {
    const tokens = await Promise.all(
      ['a', 'b'].map((sub) => tokenFor(env.config, { sub, roles: ['CUSTOMER_ADMIN'], accountId: 'acct-1' })),
    );
    let before = graph.ownersCounters.rootFields;
    const query = '{ ownerSlowly(id: "acct-1", delayMs: 300) { name } }';
    await Promise.all(tokens.map((token) => postGraphQL(gateway.url, query, { token })));
    expect(graph.ownersCounters.rootFields - before).toBe(2);

    before = graph.ownersCounters.rootFields;
    const mutation = 'mutation { renameOwner(id: "acct-1", name: "Acme Contact Centre") { name } }';
    const renamed = await Promise.all(
      Array.from({ length: 5 }, () => postGraphQL(gateway.url, mutation, { token: tokens[0] })),
    );
    expect(renamed.map((r) => r.body)).toEqual(
      Array(5).fill({ data: { renameOwner: { name: 'Acme Contact Centre' } } }),
    );
    expect(graph.ownersCounters.rootFields - before).toBe(5);
  });
});
