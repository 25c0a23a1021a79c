import { type Config } from '@lic/shared/core';
import { subscribe, testEnvironment, tokenFor, wsClient, type TestEnvironment } from '@lic/testing';
import { createGateway, type GatewayHandle } from './server.js';
import { postGraphQL } from '../test/http.js';
import { startTestGraph } from '../test/test-subgraphs.js';

const OLD = 'old-subgraph-secret-0123456789abcdef';
const NEW = 'new-subgraph-secret-0123456789abcdef';

/**
 * Subgraphs answer only the gateway, and operators rotate the secret without downtime: subgraphs
 * configured with SUBGRAPH_SECRET=new and SUBGRAPH_SECRET_PREVIOUS=old accept a gateway still
 * signing with the old secret, then one signing with the new; a gateway with another secret gets
 * nothing from them. Every way the gateway reaches a subgraph is covered: a query (forwarded whole),
 * a query that needs an entity fetch, and a subscription (graphql-ws upstream, whose events are
 * completed by an entity fetch).
 */
describe('gateway signing and secret rotation', () => {
  const envs: TestEnvironment[] = [];
  const environment = (env: Record<string, string>): Config => {
    const created = testEnvironment({ env });
    envs.push(created);
    return created.config;
  };
  const subgraphConfig = environment({ SUBGRAPH_SECRET: NEW, SUBGRAPH_SECRET_PREVIOUS: OLD });
  let graph: Awaited<ReturnType<typeof startTestGraph>>;
  let supervisor: string;

  beforeAll(async () => {
    graph = await startTestGraph(subgraphConfig);
    supervisor = await tokenFor(subgraphConfig, { roles: ['SUPERVISOR'], accountId: 'acct-1' });
  });
  afterAll(async () => {
    await graph.close();
    await Promise.all(envs.map((e) => e.cleanup()));
  });

  const withGateway = async (secret: string, work: (gateway: GatewayHandle) => Promise<void>) => {
    const gateway = await createGateway(environment({ SUBGRAPH_SECRET: secret }), {
      supergraphSdl: graph.supergraphSdl,
    });
    try {
      await work(gateway);
    } finally {
      await gateway.close();
    }
  };

  const everyPath = async (gateway: GatewayHandle) => {
    graph.publish('acct-1/rotation', 1);
    const forwarded = await postGraphQL(gateway.url, '{ owner(id: "acct-1") { name } }', {
      token: supervisor,
    });
    expect(forwarded.body).toEqual({ data: { owner: { name: 'Acme Contact Centre' } } });
    const planned = await postGraphQL(
      gateway.url,
      '{ lastTick(topic: "acct-1/rotation") { value owner { name } } }',
      {
        token: supervisor,
      },
    );
    expect(planned.body).toEqual({
      data: { lastTick: { value: 1, owner: { name: 'Acme Contact Centre' } } },
    });

    const client = wsClient(gateway.url, supervisor, null);
    try {
      const events = subscribe(
        client,
        'subscription { tick(topic: "acct-1/rotation") { value owner { name } } }',
      );
      const deadline = Date.now() + 5000;
      while (graph.subscribers('acct-1/rotation') === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      graph.publish('acct-1/rotation', 42);
      expect(await events.next(1)).toEqual({
        data: { tick: { value: 42, owner: { name: 'Acme Contact Centre' } } },
      });
      events.close();
    } finally {
      await client.dispose();
    }
  };

  it('subgraphs accept a gateway signing with the previous secret, then with the new one', async () => {
    await withGateway(OLD, everyPath);
    await withGateway(NEW, everyPath);
  });

  it('subgraphs give a gateway signing with any other secret no data (a server fault to the client)', async () => {
    await withGateway('some-other-secret-0123456789abcdef', async (gateway) => {
      for (const query of [
        '{ owner(id: "acct-1") { name } }',
        '{ lastTick(topic: "acct-1/rotation") { value } }',
      ]) {
        const result = await postGraphQL(gateway.url, query, { token: supervisor });
        expect(Object.values(result.body.data ?? {}).every((v) => v === null)).toBe(true);
        // The caller's token was fine: the deployment is misconfigured, which is no client's mistake.
        expect(result.body.errors?.[0]?.extensions?.['code']).toBe('INTERNAL_SERVER_ERROR');
        expect(result.text).not.toMatch(/Acme|SUBGRAPH_SECRET/);
      }
    });
  });
});
