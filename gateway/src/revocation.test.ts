import { Redis } from 'ioredis';
import { type Config, createRevocationChannel } from '@lic/shared/core';
import { type TestEnvironment, testEnvironment, tokenFor } from '@lic/testing';
import { type GatewayHandle, createGateway } from './server.js';
import { postGraphQL } from '../test/http.js';
import { type TestGraph, startTestGraph } from '../test/test-subgraphs.js';
import { connect, record, until } from '../test/ws-clients.js';

const SUBSCRIPTION = 'subscription { tick(topic: "acct-1/calls") { value } }';

async function within<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Issue 15, hole 5: "Revoking a server credential leaves its open subscriptions running". A
 * revocation (allocation publishes one when a new machine credential replaces the old) closes the
 * old credential's client sockets on every gateway replica.
 */
describe.each([
  ['embedded: in-process', false],
  ['distributed: Redis pub/sub, two gateway replicas', true],
])('revoked credentials at the gateway (%s)', (_label, redis) => {
  let env: TestEnvironment;
  let graph: TestGraph;
  const gateways: GatewayHandle[] = [];

  beforeAll(async () => {
    env = testEnvironment(redis ? { redis: true } : {});
    graph = await startTestGraph(env.config);
    for (let i = 0; i < (redis ? 2 : 1); i += 1) {
      gateways.push(
        await createGateway(env.config, {
          supergraphSdl: graph.supergraphSdl,
          subscriptions: { dedupScope: 'token' },
        }),
      );
    }
  });
  afterAll(async () => {
    for (const gateway of gateways) await gateway.close();
    await graph.close();
    await env.cleanup();
  });

  // The gateway closes by subject, whatever the role; the test graph's ticks answer people only,
  // so the two "credentials" here are supervisor tokens (allocation's own test revokes machines).
  // Machine credentials never share an upstream subscription (auth.ts scopeKey); these two people
  // would, so the gateways here share by token, as machines do.
  const credential = (config: Config, sub: string) =>
    tokenFor(config, { sub, roles: ['SUPERVISOR'], accountId: 'acct-1' });

  it("closes every socket of the revoked credential with 4401, on every replica, and no other's", async () => {
    const revoked = await credential(env.config, 'server-credential:old');
    const current = await credential(env.config, 'server-credential:new');
    const olds = gateways.map((g) => connect(g.url, revoked));
    const fresh = connect(gateways[gateways.length - 1]!.url, current);
    const streams = [...olds, fresh].map((c) => record(c.client, SUBSCRIPTION));
    try {
      await until(() => graph.subscribers('acct-1/calls') === olds.length + 1);
      graph.publish('acct-1/calls', 1);
      await Promise.all(streams.map((s) => s.next(1)));
      const channel = createRevocationChannel(env.config, (url) => new Redis(url));
      try {
        await channel.publish({ sub: 'server-credential:old', serverId: 'srv-1' });
      } finally {
        await channel.close();
      }
      for (const old of olds) {
        expect(await within(old.closed, 3000)).toEqual({ code: 4401, reason: 'This credential was revoked' });
      }
      // From then on, each replica refuses the revoked token itself: a new request, a new socket.
      for (const gateway of gateways) {
        const again = await postGraphQL(gateway.url, '{ owner(id: "acct-1") { name } }', { token: revoked });
        expect(again.status).toBe(401);
        expect(again.body.errors?.[0]?.message).toBe('This credential was revoked');
        const reconnect = connect(gateway.url, revoked);
        const stream = record(reconnect.client, SUBSCRIPTION);
        expect(await within(reconnect.closed, 3000)).toEqual({
          code: 4401,
          reason: 'This credential was revoked',
        });
        await stream.ended();
      }
      const freshStream = streams[streams.length - 1]!;
      expect([freshStream.failure, freshStream.completed]).toEqual([undefined, false]);
      expect(await within(fresh.closed, 300)).toBe('timeout');
      graph.publish('acct-1/calls', 2);
      expect((await streams[streams.length - 1]!.next(2)).data).toEqual({ tick: { value: 2 } });
    } finally {
      for (const c of [...olds, fresh]) await c.dispose();
    }
  });
});
