import { type AddressInfo, type Socket, createServer } from 'node:net';
import { buildSchema } from 'graphql';
import { type FormattedExecutionResult } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { createLogger } from '@lic/shared';
import { testSigner } from '@lic/testing';
import { until } from '../../test/ws-clients.js';
import { UpstreamConnection, retryDelayMs } from './upstream.js';

describe('the upstream reconnection back-off', () => {
  test('doubles from the first delay up to the cap, each delay between half and all of its step', () => {
    const low = [0, 1, 2, 3, 4, 5, 10, 50].map((retries) => retryDelayMs(retries, 100, 2000, () => 0));
    const high = [0, 1, 2, 3, 4, 5, 10, 50].map((retries) => retryDelayMs(retries, 100, 2000, () => 1));
    expect(low).toEqual([50, 100, 200, 400, 800, 1000, 1000, 1000]);
    expect(high).toEqual([100, 200, 400, 800, 1600, 2000, 2000, 2000]);
  });

  test('connections lost together spread their retries instead of retrying in step', () => {
    const delays = new Set(Array.from({ length: 100 }, () => retryDelayMs(8, 100, 2000)));
    expect(delays.size).toBeGreaterThan(50);
    for (const delay of delays) {
      expect(delay).toBeGreaterThanOrEqual(1000);
      expect(delay).toBeLessThanOrEqual(2000);
    }
  });
});

describe('resuming an upstream event stream where it left off', () => {
  test('the subscribe payload carries the time of the first subscription, then the cursor of the last event, sent again on re-subscription', async () => {
    const schema = buildSchema('type Query { x: Int } type Subscription { n: Int }');
    const seen: Array<Record<string, unknown> | undefined> = [];
    let sent = 0;
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((resolve) => wss.once('listening', resolve));
    const cleanup = useServer(
      {
        schema,
        roots: {
          subscription: {
            n: async function* () {
              sent += 1;
              yield { n: sent };
              await new Promise(() => undefined); // then nothing more on this connection
            },
          },
        },
        onSubscribe: (_ctx, _id, payload) => {
          seen.push(payload.extensions as Record<string, unknown> | undefined);
        },
        onNext: (_ctx, _id, _payload, _args, result) =>
          ({ ...result, extensions: { resumeCursor: `after-${sent}` } }) as FormattedExecutionResult,
      },
      wss,
    );
    const url = `http://127.0.0.1:${(wss.address() as AddressInfo).port}/graphql`;
    const connection = new UpstreamConnection(
      'counter',
      url,
      { keepAliveMs: 0, retryInitialDelayMs: 20, retryMaxDelayMs: 50, lingerMs: 50, signer: testSigner() },
      { reconnected: () => undefined },
      createLogger('test', 'silent'),
      () => undefined,
    );
    const events: unknown[] = [];
    const stop = connection.subscribe(
      'subscription { n }',
      {},
      { next: (e) => events.push(e.data), end: () => undefined },
    );
    try {
      const before = Date.now();
      await until(() => events.length === 1);
      expect(seen[0]).toEqual({ resume: { since: expect.any(Number) } });
      expect((seen[0]!['resume'] as { since: number }).since).toBeLessThanOrEqual(before);
      // The subgraph goes away (a restart): graphql-ws re-subscribes, now from the cursor.
      for (const socket of wss.clients) socket.close(1012, 'restart');
      await until(() => events.length === 2);
      expect(seen[1]).toEqual({ resume: { cursor: 'after-1' } });
      expect(events).toEqual([{ n: 1 }, { n: 2 }]);
    } finally {
      stop();
      await connection.dispose();
      await cleanup.dispose();
      await new Promise((resolve) => wss.close(resolve));
    }
  });
});

describe('closing an upstream connection that is still being opened', () => {
  test('abandons the handshake without an unhandled error (one would end the gateway process)', async () => {
    // A subgraph that accepts the TCP connection and never answers the WebSocket upgrade.
    const sockets: Socket[] = [];
    const server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    const connection = new UpstreamConnection(
      'silent',
      url,
      { keepAliveMs: 0, retryInitialDelayMs: 20, retryMaxDelayMs: 50, lingerMs: 50, signer: testSigner() },
      { reconnected: () => undefined },
      createLogger('test', 'silent'),
      () => undefined,
    );
    try {
      await until(() => sockets.length === 1);
      await connection.dispose();
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
