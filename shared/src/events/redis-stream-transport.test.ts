import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { TEST_REDIS_URL, eventually } from '@lic/testing';
import { RedisStreamTransport } from './redis-stream-transport.js';
import { type DomainEvent } from './types.js';

const event = (id: string, topic = 'orders'): DomainEvent => ({
  id,
  topic,
  source: 'test',
  occurredAt: new Date(0).toISOString(),
  payload: { id },
});

describe('Redis Streams transport (real Redis)', () => {
  const prefix = `lictest:${randomBytes(4).toString('hex')}:events:`;
  const transports: RedisStreamTransport[] = [];
  const make = () => {
    const t = new RedisStreamTransport(TEST_REDIS_URL, { keyPrefix: prefix, claimIdleMs: 300 });
    transports.push(t);
    return t;
  };

  afterAll(async () => {
    await Promise.all(transports.map((t) => t.close()));
    const redis = new Redis(TEST_REDIS_URL);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('every consumer group gets every event; members of one group share them', async () => {
    const producer = make();
    const billingA: string[] = [];
    const billingB: string[] = [];
    const enforcement: string[] = [];
    await make().subscribe('orders', 'billing', async (e) => void billingA.push(e.id));
    await make().subscribe('orders', 'billing', async (e) => void billingB.push(e.id));
    await make().subscribe('orders', 'enforcement', async (e) => void enforcement.push(e.id));
    const ids = Array.from({ length: 30 }, (_, i) => `e${i}`);
    for (const id of ids) await producer.publish(event(id));
    await eventually(() => enforcement.length === 30 && billingA.length + billingB.length === 30);
    expect(enforcement).toEqual(ids);
    expect([...billingA, ...billingB].sort()).toEqual([...ids].sort());
  });

  it('publishes a batch of several topics in one call, in order per topic', async () => {
    const producer = make();
    const a: string[] = [];
    const b: string[] = [];
    await make().subscribe('batch-a', 'reader', async (e) => void a.push(e.id));
    await make().subscribe('batch-b', 'reader', async (e) => void b.push(e.id));
    const batch = Array.from({ length: 40 }, (_, i) => event(`b${i}`, i % 2 === 0 ? 'batch-a' : 'batch-b'));
    await producer.publishAll(batch);
    await eventually(() => a.length === 20 && b.length === 20);
    expect(a).toEqual(batch.filter((e) => e.topic === 'batch-a').map((e) => e.id));
    expect(b).toEqual(batch.filter((e) => e.topic === 'batch-b').map((e) => e.id));
  });

  it('events published while a consumer is down wait for it', async () => {
    const producer = make();
    await producer.publish(event('before-1', 'late'));
    await producer.publish(event('before-2', 'late'));
    const seen: string[] = [];
    await make().subscribe('late', 'latecomer', async (e) => void seen.push(e.id));
    await eventually(() => seen.length === 2);
    expect(seen).toEqual(['before-1', 'before-2']);
  });

  it('an event whose handler failed is redelivered, and malformed entries do not block the stream', async () => {
    const producer = make();
    const redis = new Redis(TEST_REDIS_URL);
    const seen: string[] = [];
    let fail = true;
    await make().subscribe('flaky', 'g', async (e) => {
      if (e.id === 'x' && fail) {
        fail = false;
        throw new Error('transient');
      }
      seen.push(e.id);
    });
    await redis.xadd(`${prefix}flaky`, '*', 'event', '{not json');
    await producer.publish(event('x', 'flaky'));
    await producer.publish(event('y', 'flaky'));
    await eventually(() => seen.includes('x') && seen.includes('y'), 8000);
    expect(seen.filter((id) => id === 'x')).toHaveLength(1);
    redis.disconnect();
  });

  it('a batch subscriber gets waiting events together; a refused batch is retried one by one', async () => {
    const producer = make();
    const batches: string[][] = [];
    const applied: string[] = [];
    let refuseBad = 2;
    // Published before the subscriber starts reading, so they wait together.
    await producer.publishAll(['p1', 'p2', 'bad', 'p3'].map((id) => event(id, 'batched')));
    await make().subscribeBatch('batched', 'g', async (events) => {
      const ids = events.map((e) => e.id);
      batches.push(ids);
      if (ids.includes('bad') && refuseBad-- > 0) throw new Error('cannot apply bad yet');
      applied.push(...ids);
    });
    await eventually(() => applied.includes('p3'), 8000);
    expect(batches[0]).toEqual(['p1', 'p2', 'bad', 'p3']);
    // Then one at a time: p1 applies; bad is refused and waits, with p3 behind it; redelivered, both apply.
    expect(batches[1]).toEqual(['p1']);
    expect(applied.filter((id) => id === 'p1')).toHaveLength(1);
    expect(applied.filter((id) => id === 'p2')).toHaveLength(1);
    expect(applied.filter((id) => id === 'bad')).toHaveLength(1);
  });

  it('a batch subscriber lets a steady stream gather for batchWaitMs after a partial read; a full read is followed at once', async () => {
    const producer = make();
    const consumer = new RedisStreamTransport(TEST_REDIS_URL, {
      keyPrefix: prefix,
      claimIdleMs: 60_000,
      batchWaitMs: 2000,
    });
    transports.push(consumer);
    const batches: Array<{ ids: string[]; at: number }> = [];
    await consumer.subscribeBatch('steady', 'billing', async (events) => {
      batches.push({ ids: events.map((e) => e.id), at: Date.now() });
    });
    // The first event is handed over at once (the read was waiting for it).
    const first = Date.now();
    await producer.publish(event('s0', 'steady'));
    await eventually(() => batches.length === 1);
    expect(batches[0]!.at - first).toBeLessThan(1500);
    // Four more, 50 ms apart, inside the wait after that partial read: they come as one batch.
    // (The wait is long so that a loaded machine's delays cannot be taken for it.)
    for (let i = 1; i <= 4; i += 1) {
      await new Promise((r) => setTimeout(r, 50));
      await producer.publish(event(`s${i}`, 'steady'));
    }
    await eventually(() => batches.flatMap((b) => b.ids).length === 5, 8000);
    expect(batches.map((b) => b.ids)).toEqual([['s0'], ['s1', 's2', 's3', 's4']]);
    expect(batches[1]!.at - batches[0]!.at).toBeGreaterThanOrEqual(1950);

    // A backlog of more than a read takes (published before a new group reads): the full reads
    // follow each other without the wait, and only the partial last one is followed by it.
    await producer.publishAll(Array.from({ length: 250 }, (_, i) => event(`q${i}`, 'backlog')));
    const backlog: Array<{ size: number; at: number }> = [];
    const started = Date.now();
    await consumer.subscribeBatch('backlog', 'billing', async (events) => {
      backlog.push({ size: events.length, at: Date.now() });
    });
    await eventually(() => backlog.reduce((n, b) => n + b.size, 0) === 250, 5000);
    expect(backlog.map((b) => b.size)).toEqual([100, 100, 50]);
    // With the wait after each full read too, the last batch would come 4 s after the first.
    expect(backlog[2]!.at - started).toBeLessThan(1500);
  });

  /**
   * Issue 16's fault suite: with MariaDB restarted under load, billing's batch of session events
   * failed and waited unacknowledged until claimable (claimIdleMs, 30 s by default), so billing
   * lagged allocation half a minute after the database was back. The consumer now retries its
   * own failed entries within a second, backing off while the failure lasts.
   */
  it('a failed handler is retried as soon as its dependency is back, not after the claim idle time', async () => {
    const consumer = new RedisStreamTransport(TEST_REDIS_URL, { keyPrefix: prefix, claimIdleMs: 60_000 });
    transports.push(consumer);
    const producer = make();
    let databaseUp = false;
    let failures = 0;
    const applied: string[] = [];
    await consumer.subscribeBatch('flaky-database', 'billing', async (events) => {
      if (!databaseUp) {
        failures += 1;
        throw new Error('connect ECONNREFUSED (the database is down)');
      }
      applied.push(...events.map((e) => e.id));
    });
    await producer.publishAll([
      event('f1', 'flaky-database'),
      event('f2', 'flaky-database'),
      event('f3', 'flaky-database'),
    ]);
    await eventually(() => failures >= 3, 5000);
    const back = Date.now();
    databaseUp = true;
    await eventually(() => applied.length === 3, 8000);
    expect(Date.now() - back).toBeLessThan(6000);
    expect(applied.sort()).toEqual(['f1', 'f2', 'f3']);
  });
});
