import { type TestEnvironment, testEnvironment, tokenFor } from '@lic/testing';
import { type AddressInfo } from 'node:net';
import { type GatewayHandle, createGateway } from '../server.js';
import { type TestGraph, startTestGraph } from '../../test/test-subgraphs.js';
import { type Connection, type Recorder, connectRetrying, record, until } from '../../test/ws-clients.js';

const STATE = 'subscription ($topic: String!) { tickState(topic: $topic) { value owner { name } } }';
const CLIENTS = 200;

describe('clients with the documented reconnection settings, across a gateway restart', () => {
  let env: TestEnvironment;
  let graph: TestGraph;
  const gateways: GatewayHandle[] = [];
  const connections: Connection[] = [];

  const startGateway = async (port: number) => {
    const gateway = await createGateway(
      { ...env.config, ports: { ...env.config.ports, gateway: port } },
      { supergraphSdl: graph.supergraphSdl, subscriptions: { lingerMs: 50, stateFields: ['tickState'] } },
    );
    gateways.push(gateway);
    return gateway;
  };

  beforeAll(async () => {
    env = testEnvironment();
    graph = await startTestGraph(env.config);
  });

  afterAll(async () => {
    await Promise.all(connections.map((c) => c.dispose()));
    for (const gateway of gateways) await gateway.close();
    await graph.close();
    await env.cleanup();
  });

  test(`all ${CLIENTS} clients are back on the restarted gateway with the current state, no error, no end`, async () => {
    const first = await startGateway(0);
    const port = (first.httpServer.address() as AddressInfo).port;
    graph.publish('acct-1/wall', 1);
    const lost: number[] = [];
    const recorders: Recorder[] = [];
    for (let i = 0; i < CLIENTS; i += 1) {
      const token = await tokenFor(env.config, {
        sub: `wall-${i}`,
        roles: ['SUPERVISOR'],
        accountId: 'acct-1',
      });
      const connection = connectRetrying(first.url, token, { closed: () => (lost[i] ??= Date.now()) });
      connections.push(connection);
      recorders.push(record(connection.client, STATE, { topic: 'acct-1/wall' }));
    }
    await Promise.all(recorders.map((r) => r.next(1, 20_000)));
    expect(first.subscriptionStats()).toMatchObject({
      clientSubscriptions: CLIENTS,
      upstreamSubscriptions: 1,
    });

    await first.close();
    graph.publish('acct-1/wall', 2); // the state changes while no gateway runs
    await until(() => lost.filter((t) => t !== undefined).length === CLIENTS, 5000, 'every socket closed');
    const second = await startGateway(port);

    await Promise.all(recorders.map((r) => r.next(2, 20_000)));
    for (const r of recorders) {
      expect(r.results.map((p) => p.data)).toEqual([
        { tickState: { value: 1, owner: { name: 'Acme Contact Centre' } } },
        { tickState: { value: 2, owner: { name: 'Acme Contact Centre' } } },
      ]);
      expect(r.failure).toBeUndefined();
      expect(r.completed).toBe(false);
    }
    // Shared again on the new gateway: one upstream subscription for the 200.
    expect(second.subscriptionStats()).toMatchObject({
      clientSubscriptions: CLIENTS,
      clientConnections: CLIENTS,
      upstreamSubscriptions: 1,
    });
    graph.publish('acct-1/wall', 3);
    await Promise.all(recorders.map((r) => r.next(3, 10_000)));
  }, 90_000);
});
