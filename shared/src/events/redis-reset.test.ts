import { Redis } from 'ioredis';
import { ManualClock } from '../clock/clock.js';
import { openDatabase } from '../db/data-source.js';
import { type Database } from '../db/database.js';
import { describeEachDatabase, eventually, testEnvironment, type TestEnvironment } from '@lic/testing';
import { PrivateRedisServer } from '@lic/testing';
import { EventBus } from './bus.js';
import { EVENT_MIGRATIONS } from './events-migration.js';
import { EVENT_ENTITIES } from './outbox.entity.js';
import { recordRawEvent } from './outbox.js';
import { RedisStreamTransport } from './redis-stream-transport.js';
import { type DomainEvent } from './types.js';

// Issue 16: "Published to a stream that then vanished must not count as delivered: consumers
// acknowledge, producers can replay from the outbox, and a consumer that finds its group or
// stream gone rebuilds it and catches up." Each test restarts its OWN redis-server, empty.

const event = (id: string, topic: string): DomainEvent => ({
  id,
  topic,
  source: 'test',
  occurredAt: new Date(0).toISOString(),
  payload: { id },
});

describe('Redis Streams transport when Redis restarts without its data', () => {
  let redis: PrivateRedisServer;
  const transports: RedisStreamTransport[] = [];
  const make = () => {
    const t = new RedisStreamTransport(redis.url, { claimIdleMs: 300 });
    transports.push(t);
    return t;
  };

  beforeAll(async () => {
    redis = await PrivateRedisServer.start();
  });
  afterAll(async () => {
    await Promise.all(transports.map((t) => t.close()));
    await redis.stop();
  });

  it('a running consumer whose group vanished recreates it and consumes what is published afterwards', async () => {
    const producer = make();
    const single: string[] = [];
    const batched: string[] = [];
    await make().subscribe('reset-single', 'enforcement', async (e) => void single.push(e.id));
    await make().subscribeBatch(
      'reset-batch',
      'billing',
      async (es) => void batched.push(...es.map((e) => e.id)),
    );
    await producer.publish(event('before', 'reset-single'));
    await producer.publish(event('before', 'reset-batch'));
    await eventually(() => single.length === 1 && batched.length === 1);

    await redis.restartEmpty();

    // Published once Redis is back (XADD creates a bare stream, without the consumers' groups).
    await eventually(async () => {
      await producer.publish(event('after-1', 'reset-single'));
      await producer.publish(event('after-1', 'reset-batch'));
      return true;
    }, 10_000);
    await producer.publish(event('after-2', 'reset-single'));
    await producer.publish(event('after-2', 'reset-batch'));
    await eventually(() => single.includes('after-2') && batched.includes('after-2'), 10_000);
    expect(single).toEqual(['before', 'after-1', 'after-2']);
    expect(batched).toEqual(['before', 'after-1', 'after-2']);
  });
});

describeEachDatabase('outbox relay when Redis restarts without its data', (database) => {
  let env: TestEnvironment;
  let db: Database;
  let redis: PrivateRedisServer;
  const clock = new ManualClock('2026-12-06T00:00:00Z');

  beforeAll(async () => {
    env = testEnvironment({ database });
    db = await openDatabase({
      config: env.config,
      name: 'redisreset',
      entities: EVENT_ENTITIES,
      migrations: EVENT_MIGRATIONS,
    });
    await db.dataSource.query('CREATE TABLE test_applied (event_id VARCHAR(36) NOT NULL)');
    redis = await PrivateRedisServer.start();
  });
  afterAll(async () => {
    await redis.stop();
    await db.close();
    await env.cleanup();
  });

  async function appliedCounts(): Promise<Map<string, number>> {
    const rows = (await db.dataSource.query(
      'SELECT event_id, COUNT(*) AS n FROM test_applied GROUP BY event_id',
    )) as Array<{ event_id: string; n: number | string }>;
    return new Map(rows.map((r) => [r.event_id, Number(r.n)]));
  }

  /** One subgraph's bus on the private Redis; the producer and the consumer share the database here. */
  function bus(service: string, retentionMs?: number): { bus: EventBus; transport: RedisStreamTransport } {
    const transport = new RedisStreamTransport(redis.url, { claimIdleMs: 300 });
    return {
      transport,
      bus: new EventBus({
        service,
        dataSource: db.dataSource,
        transport,
        clock,
        pollMs: 100,
        ...(retentionMs === undefined ? {} : { retentionMs }),
      }),
    };
  }

  const streamLength = async (topic: string): Promise<number> => {
    const client = new Redis(redis.url);
    try {
      return await client.xlen(`lic:events:${topic}`);
    } finally {
      client.disconnect();
    }
  };

  async function startConsumer(): Promise<{ stop: () => Promise<void> }> {
    const consumer = bus('billing');
    await consumer.bus.consume('allocation.session-started', async (e, manager) => {
      await manager.query('INSERT INTO test_applied (event_id) VALUES (?)', [e.id]);
    });
    consumer.bus.start();
    return {
      stop: async () => {
        await consumer.bus.stop();
        await consumer.transport.close();
      },
    };
  }

  const record = (count: number, from: number) =>
    db.dataSource.transaction(async (manager) => {
      const ids: string[] = [];
      for (let i = from; i < from + count; i++) {
        ids.push(await recordRawEvent(manager, clock, 'allocation.session-started', { n: i }));
      }
      return ids;
    });

  it('events published while a consumer was down, then lost with Redis, are replayed from the outbox and applied exactly once', async () => {
    const producer = bus('allocation');
    producer.bus.start();
    let consumer = await startConsumer();

    // Some applied before the consumer stops: the replay must not apply them again.
    const early = await record(5, 0);
    await eventually(async () => (await appliedCounts()).size === 5, 10_000);
    await consumer.stop();

    // Published (the outbox marks them) while nobody reads them.
    const waiting = await record(40, 5);
    await eventually(
      async () =>
        Number(
          (
            (await db.dataSource.query(
              'SELECT COUNT(*) AS n FROM outbox_event WHERE published_at IS NULL',
            )) as Array<{ n: number | string }>
          )[0]!.n,
        ) === 0,
      10_000,
    );

    await redis.restartEmpty();
    consumer = await startConsumer();
    // And some more once Redis is back.
    const late = await eventually(async () => record(5, 45), 10_000);

    const all = [...early, ...waiting, ...late];
    await eventually(async () => (await appliedCounts()).size === all.length, 15_000);
    // Replays keep coming as redeliveries would: give them time to (wrongly) apply twice.
    await new Promise((r) => setTimeout(r, 1500));
    const counts = await appliedCounts();
    expect([...counts.keys()].sort()).toEqual([...all].sort());
    expect([...counts.values()].every((n) => n === 1)).toBe(true);

    await consumer.stop();
    await producer.bus.stop();
    await producer.transport.close();
  });

  it('a relay restarted while Redis kept its data replays nothing; after a reset it replays only events within the retention', async () => {
    await db.dataSource.query('DELETE FROM outbox_event');
    await redis.restartEmpty();
    const topic = 'allocation.session-started';
    const day = 86_400_000;
    let producer = bus('accounts', 7 * day);
    producer.bus.start();
    await eventually(() => record(3, 100), 10_000);
    await producer.bus.relay.flush();
    expect(await streamLength(topic)).toBe(3);
    await producer.bus.stop();
    await producer.transport.close();

    // A restarted process finds the marker in place: nothing is published again.
    producer = bus('accounts', 7 * day);
    producer.bus.start();
    await new Promise((r) => setTimeout(r, 300));
    await producer.bus.relay.flush();
    expect(await streamLength(topic)).toBe(3);

    // Six days and 23.9 hours on, Redis loses its data: consumers may already have pruned their
    // inbox records of those events, so they are not replayed (they would apply twice).
    clock.advance(7 * day - 360_000);
    await record(2, 200);
    await producer.bus.relay.flush();
    expect(await streamLength(topic)).toBe(5);
    await redis.restartEmpty();
    await eventually(async () => {
      await producer.bus.relay.flush();
      return (await streamLength(topic)) === 2;
    }, 10_000);
    await new Promise((r) => setTimeout(r, 1200));
    await producer.bus.relay.flush();
    expect(await streamLength(topic)).toBe(2);
    await producer.bus.stop();
    await producer.transport.close();
  });
});
