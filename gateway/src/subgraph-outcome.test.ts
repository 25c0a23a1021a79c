import { createServer as createHttpServer } from 'node:http';
import { type AddressInfo, type Server, createServer } from 'node:net';
import { testEnvironment, testSigner, tokenFor } from '@lic/testing';
import { createGateway } from './server.js';
import { SubgraphConnectionLost, SubgraphUnreachable, createSubgraphFetcher } from './subgraph-fetcher.js';
import { postGraphQL } from '../test/http.js';
import { startTestGraph } from '../test/test-subgraphs.js';

/** A port nothing listens on (yet): connecting to it is refused. */
async function refusingPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** A TCP server that accepts, reads the first bytes of a request and closes the connection. */
async function acceptAndClose(): Promise<{
  url: string;
  received: () => number;
  close: () => Promise<void>;
}> {
  let received = 0;
  const server: Server = createServer((socket) => {
    socket.once('data', () => {
      received += 1;
      socket.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    received: () => received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const MUTATION = JSON.stringify({ query: 'mutation { logon { id } }' });

describe('"never reached" and "reached, then the connection was lost" (real TCP servers)', () => {
  const env = testEnvironment();
  const signer = testSigner(env.config);
  const post = (fetcher: ReturnType<typeof createSubgraphFetcher>, url: string, body: string) =>
    fetcher(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

  afterAll(() => env.cleanup());

  test('a mutation whose connection is refused is tried again after a pause, and answered once the subgraph listens', async () => {
    const port = await refusingPort();
    let executed = 0;
    const subgraph = createHttpServer((req, res) => {
      req.resume();
      req.on('end', () => {
        executed += 1;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ data: { executed } }));
      });
    });
    const fetcher = createSubgraphFetcher(5000, signer);
    try {
      const answer = post(fetcher, `http://127.0.0.1:${port}/graphql`, MUTATION);
      // The subgraph comes up a moment after the first connect was refused (a restart).
      await new Promise((resolve) => setTimeout(resolve, 20));
      await new Promise<void>((resolve) => subgraph.listen(port, '127.0.0.1', resolve));
      const response = await answer;
      expect(await response.json()).toEqual({ data: { executed: 1 } });
      expect(executed).toBe(1);
    } finally {
      fetcher.close();
      await new Promise<void>((resolve) => subgraph.close(() => resolve()));
    }
  });

  test('a mutation to a subgraph that stays down fails as unreachable: nothing was sent', async () => {
    const port = await refusingPort();
    const fetcher = createSubgraphFetcher(5000, signer);
    try {
      const started = performance.now();
      const failure = await post(fetcher, `http://127.0.0.1:${port}/graphql`, MUTATION).catch(
        (e: unknown) => e,
      );
      expect(failure).toBeInstanceOf(SubgraphUnreachable);
      // Two short pauses, not a long wait.
      expect(performance.now() - started).toBeGreaterThanOrEqual(240);
      expect(performance.now() - started).toBeLessThan(3000);
    } finally {
      fetcher.close();
    }
  });

  test('a mutation whose connection is closed after it was sent is not retried: the outcome is unknown', async () => {
    const subgraph = await acceptAndClose();
    const fetcher = createSubgraphFetcher(5000, signer);
    try {
      const failure = await post(fetcher, subgraph.url, MUTATION).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(SubgraphConnectionLost);
      expect(subgraph.received()).toBe(1);
    } finally {
      fetcher.close();
      await subgraph.close();
    }
  });
});

describe('what a client is told through the gateway', () => {
  const env = testEnvironment();
  let graph: Awaited<ReturnType<typeof startTestGraph>>;
  let token: string;
  const mutation = 'mutation { renameOwner(id: "acct-1", name: "Acme Contact Centre") { name } }';

  beforeAll(async () => {
    graph = await startTestGraph(env.config);
    token = await tokenFor(env.config, { roles: ['LICENSING_ADMIN'] });
  });
  afterAll(async () => {
    await graph.close();
    await env.cleanup();
  });

  const gatewayWithOwnersAt = (url: string) =>
    createGateway(env.config, { supergraphSdl: graph.supergraphSdl.replace(graph.owners.url, url) });

  test('a mutation to a subgraph that refuses connections: SUBGRAPH_UNAVAILABLE naming it', async () => {
    const gateway = await gatewayWithOwnersAt(`http://127.0.0.1:${await refusingPort()}/graphql`);
    try {
      const result = await postGraphQL(gateway.url, mutation, { token });
      expect(result.body.errors).toEqual([
        {
          message: 'The owners service is unavailable; try again shortly',
          extensions: { code: 'INTERNAL_SERVER_ERROR', reason: 'SUBGRAPH_UNAVAILABLE', service: 'owners' },
        },
      ]);
    } finally {
      await gateway.close();
    }
  });

  test('a mutation whose subgraph connection is lost after sending: CONNECTION_LOST_AFTER_SEND naming it, sent once', async () => {
    const subgraph = await acceptAndClose();
    const gateway = await gatewayWithOwnersAt(subgraph.url);
    try {
      const result = await postGraphQL(gateway.url, mutation, { token });
      expect(result.body.errors).toEqual([
        {
          message: expect.stringMatching(
            /^The connection to the owners service was lost after the request was sent: whether it took effect is unknown/,
          ),
          extensions: {
            code: 'INTERNAL_SERVER_ERROR',
            reason: 'CONNECTION_LOST_AFTER_SEND',
            service: 'owners',
          },
        },
      ]);
      expect(JSON.stringify(result.body)).not.toContain('127.0.0.1');
      expect(subgraph.received()).toBe(1);
      // A read on the same subgraph is still "unavailable": it has no outcome to be unsure of.
      const read = await postGraphQL(gateway.url, '{ owner(id: "acct-1") { name } }', { token });
      expect(read.body.errors).toEqual([
        expect.objectContaining({
          extensions: { code: 'INTERNAL_SERVER_ERROR', reason: 'SUBGRAPH_UNAVAILABLE', service: 'owners' },
        }),
      ]);
    } finally {
      await gateway.close();
      await subgraph.close();
    }
  });
});
