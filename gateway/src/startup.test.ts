import { type TestEnvironment, freePort, testEnvironment, tokenFor } from '@lic/testing';
import WebSocket from 'ws';
import { type GatewayHandle, createGateway } from './server.js';
import { type TestGraph, startTestGraph } from '../test/test-subgraphs.js';
import { type Connection, connect, record, until } from '../test/ws-clients.js';

const STATE = 'subscription ($topic: String!) { tickState(topic: $topic) { value owner { name } } }';

describe('a starting gateway', () => {
  let env: TestEnvironment;
  let graph: TestGraph;
  let gateway: GatewayHandle | undefined;
  const connections: Connection[] = [];

  beforeAll(async () => {
    env = testEnvironment();
    graph = await startTestGraph(env.config);
  });

  afterAll(async () => {
    await Promise.all(connections.map((c) => c.dispose()));
    await gateway?.close();
    await graph.close();
    await env.cleanup();
  });

  test('accepts sockets and requests before it is ready and serves them once it is', async () => {
    const port = await freePort();
    let release: () => void = () => undefined;
    const hold = new Promise<void>((resolve) => (release = resolve));
    const starting = createGateway(
      { ...env.config, ports: { ...env.config.ports, gateway: port } },
      {
        supergraphSdl: graph.supergraphSdl,
        subscriptions: { stateFields: ['tickState'] },
        startupHold: hold,
      },
    );
    let ready = false;
    void starting.then(() => (ready = true));
    const base = `http://127.0.0.1:${port}`;
    // It listens (alive, not ready) well before it is ready.
    let readyz: Response | undefined;
    await until(
      async () => {
        readyz = await fetch(`${base}/readyz`).catch(() => undefined);
        return readyz !== undefined;
      },
      20_000,
      'the starting gateway answering /readyz',
    );
    expect(readyz!.status).toBe(503);
    expect(await readyz!.json()).toMatchObject({ status: 'not ready', checks: { startup: { ok: false } } });
    expect((await fetch(`${base}/healthz`)).status).toBe(200);

    const token = await tokenFor(env.config, { sub: 'early', roles: ['SUPERVISOR'], accountId: 'acct-1' });
    graph.publish('acct-1/early', 7);
    // A raw socket: its connection_init is held, not refused, past graphql-ws's 3 s init timeout.
    const raw = new WebSocket(`ws://127.0.0.1:${port}/graphql`, 'graphql-transport-ws');
    const messages: string[] = [];
    let rawClosed: number | undefined;
    raw.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString()).type as string));
    raw.on('close', (code) => (rawClosed = code));
    await new Promise((resolve) => raw.once('open', resolve));
    raw.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
    // A graphql-ws client subscribing, and a query over HTTP, both sent before the gateway is ready.
    const connection = connect(`${base}/graphql`, token);
    connections.push(connection);
    const state = record(connection.client, STATE, { topic: 'acct-1/early' });
    const query = fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    await new Promise((resolve) => setTimeout(resolve, 3500));
    expect(messages).toEqual([]);
    expect(rawClosed).toBeUndefined();
    expect(state.results).toEqual([]);
    expect(ready).toBe(false);

    release();
    gateway = await starting;
    expect(await state.next(1, 10_000)).toEqual({
      data: { tickState: { value: 7, owner: { name: 'Acme Contact Centre' } } },
    });
    expect(state.failure).toBeUndefined();
    const answer = await query;
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ data: { __typename: 'Query' } });
    await until(() => messages.includes('connection_ack'), 5000, 'the held connection_init acknowledged');
    expect(rawClosed).toBeUndefined();
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    raw.terminate();
  }, 60_000);
});
