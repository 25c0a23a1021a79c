import { type TestEnvironment, testEnvironment } from '@lic/testing';
import { type GatewayHandle, createGateway } from './server.js';
import { type TestGraph, startTestGraph } from '../test/test-subgraphs.js';

const METRICS_TOKEN = 'a-metrics-scraper-token-of-32-characters-or-more';

/** Issue 15, hole 8: "/metrics is open to anyone". */
describe('/metrics behind a setting', () => {
  let env: TestEnvironment;
  let graph: TestGraph;
  const gateways: GatewayHandle[] = [];

  beforeAll(async () => {
    env = testEnvironment({ env: { METRICS_TOKEN } });
    graph = await startTestGraph(env.config);
  });
  afterAll(async () => {
    for (const gateway of gateways) await gateway.close();
    await graph.close();
    await env.cleanup();
  });

  async function gateway(overrides: Partial<typeof env.config>): Promise<string> {
    const handle = await createGateway(
      { ...env.config, ...overrides },
      { supergraphSdl: graph.supergraphSdl },
    );
    gateways.push(handle);
    return new URL('/metrics', handle.url).toString();
  }

  it('with METRICS_TOKEN, answers only the holder of that bearer token', async () => {
    const url = await gateway({});
    const anonymous = await fetch(url);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toContain('Bearer');
    expect((await fetch(url, { headers: { authorization: 'Bearer wrong-token' } })).status).toBe(401);
    const scraper = await fetch(url, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(scraper.status).toBe(200);
    expect(await scraper.text()).toContain('gateway_subscriptions_open');
  });

  it('without METRICS_TOKEN, is closed in production', async () => {
    const url = await gateway({ env: 'production', metricsToken: undefined });
    expect((await fetch(url)).status).toBe(404);
  });

  it('without METRICS_TOKEN outside production, answers clients on this machine (local development)', async () => {
    const url = await gateway({ metricsToken: undefined });
    expect((await fetch(url)).status).toBe(200);
  });
});
