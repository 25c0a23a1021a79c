import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { TEST_REDIS_URL } from '@lic/testing';
import { RedisCounterStore, type WindowCount } from './rate-limiter.js';

/**
 * The Redis counters on a real Redis: a busy gateway counts every request, so the round trips must
 * not grow with the requests, and every hit must still be told the count it brought its window to.
 */
describe('RedisCounterStore (real Redis)', () => {
  const prefix = `lictest:${randomBytes(4).toString('hex')}:rl:`;
  const redis = new Redis(TEST_REDIS_URL);
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('hits arriving while a round trip is under way go together in the next, each told its own count', async () => {
    const client = new Redis(TEST_REDIS_URL);
    const store = new RedisCounterStore(client, prefix);
    let roundTrips = 0;
    const pipeline = client.pipeline.bind(client);
    client.pipeline = ((...args: Parameters<typeof pipeline>) => {
      roundTrips += 1;
      return pipeline(...args);
    }) as typeof client.pipeline;
    try {
      // 200 requests, each in a turn of the event loop of its own (as they arrive from sockets).
      const hits: Array<Promise<WindowCount>> = [];
      for (let i = 0; i < 200; i += 1) {
        hits.push(store.hit('principal', 60_000));
        await new Promise((resolve) => setImmediate(resolve));
      }
      const counts = (await Promise.all(hits)).map((c) => c.count).sort((a, b) => a - b);
      expect(counts).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
      expect(await redis.get(`${prefix}principal`)).toBe('200');
      // One round trip a turn would be 200.
      expect(roundTrips).toBeLessThan(150);
    } finally {
      await store.close();
    }
  });
});
