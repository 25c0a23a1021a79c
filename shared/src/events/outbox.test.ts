import { IsNull, type DataSource } from 'typeorm';
import { ManualClock } from '../clock/clock.js';
import { openDatabase } from '../db/data-source.js';
import { type Database } from '../db/database.js';
import { describeEachDatabase, testEnvironment, type TestEnvironment } from '@lic/testing';
import { EVENT_MIGRATIONS } from './events-migration.js';
import { InProcessTransport } from './in-process-transport.js';
import { EVENT_ENTITIES, OutboxEventRow, ProcessedEventRow } from './outbox.entity.js';
import {
  idempotentBatchConsumer,
  idempotentConsumer,
  OutboxRelay,
  pruneEvents,
  recordRawEvent,
} from './outbox.js';
import { type DomainEvent } from './types.js';

async function appliedCounts(dataSource: DataSource): Promise<Record<string, number>> {
  const rows: Array<{ event_id: string; n: number | string }> = await dataSource.query(
    'SELECT event_id, COUNT(*) AS n FROM test_applied GROUP BY event_id',
  );
  return Object.fromEntries(rows.map((r) => [r.event_id, Number(r.n)]));
}

describeEachDatabase('outbox, relay and idempotent consumers', (database) => {
  let env: TestEnvironment;
  let db: Database;
  const clock = new ManualClock('2020-06-01T00:00:00Z');

  beforeAll(async () => {
    env = testEnvironment({ database });
    db = await openDatabase({
      config: env.config,
      name: 'outboxtest',
      entities: EVENT_ENTITIES,
      migrations: EVENT_MIGRATIONS,
    });
    await db.dataSource.query('CREATE TABLE test_applied (event_id VARCHAR(36) NOT NULL)');
  });
  afterAll(async () => {
    await db.close();
    await env.cleanup();
  });
  beforeEach(async () => {
    await db.dataSource.query('DELETE FROM test_applied');
    await db.dataSource.query('DELETE FROM outbox_event');
    await db.dataSource.query('DELETE FROM processed_event');
  });

  const consumer = () =>
    idempotentConsumer(db.dataSource, 'test-consumer', clock, async (event, manager) => {
      await manager.query('INSERT INTO test_applied (event_id) VALUES (?)', [event.id]);
    });

  it('an event delivered twice is applied once', async () => {
    const apply = consumer();
    const event: DomainEvent = {
      id: 'e-1',
      topic: 't',
      source: 'test',
      occurredAt: clock.now().toISOString(),
      payload: {},
    };
    expect(await apply(event)).toBe(true);
    expect(await apply(event)).toBe(false);
    await Promise.all(
      [apply({ ...event, id: 'e-2' }), apply({ ...event, id: 'e-2' })].map((p) => p.catch(() => false)),
    );
    expect(await appliedCounts(db.dataSource)).toEqual({ 'e-1': 1, 'e-2': 1 });
  });

  const event = (id: string): DomainEvent => ({
    id,
    topic: 't',
    source: 'test',
    occurredAt: clock.now().toISOString(),
    payload: {},
  });

  // RETURNING is what SQLite and MariaDB use; without it (MySQL) the inbox is read, then written.
  it.each([
    ['one INSERT … RETURNING', true],
    ['a read, then an INSERT (MySQL)', false],
  ])(
    'a batch applies each new event once, skipping those applied before and repeats within it (%s)',
    async (_form, returning) => {
      const batches: string[][] = [];
      const apply = idempotentBatchConsumer(
        db.dataSource,
        `test-batch-${returning}`,
        clock,
        async (events, manager) => {
          batches.push(events.map((e) => e.id));
          for (const event of events) {
            await manager.query('INSERT INTO test_applied (event_id) VALUES (?)', [event.id]);
          }
        },
        { returning },
      );
      expect(await apply([event('b-1'), event('b-2')])).toBe(2);
      expect(await apply([event('b-2'), event('b-3'), event('b-3'), event('b-1'), event('b-4')])).toBe(2);
      expect(await apply([event('b-4')])).toBe(0);
      expect(batches).toEqual([
        ['b-1', 'b-2'],
        ['b-3', 'b-4'],
      ]);
      expect(await appliedCounts(db.dataSource)).toEqual({ 'b-1': 1, 'b-2': 1, 'b-3': 1, 'b-4': 1 });
    },
  );

  it('a batch that fails applies nothing, inbox rows included', async () => {
    const apply = idempotentBatchConsumer(
      db.dataSource,
      'test-batch-fail',
      clock,
      async (events, manager) => {
        for (const event of events) {
          await manager.query('INSERT INTO test_applied (event_id) VALUES (?)', [event.id]);
          if (event.id === 'bad') throw new Error('cannot apply');
        }
      },
    );
    await expect(apply([event('ok-1'), event('bad'), event('ok-2')])).rejects.toThrow('cannot apply');
    expect(await appliedCounts(db.dataSource)).toEqual({});
    // Retried without the bad one (as the transport does, one at a time), the others apply.
    expect(await apply([event('ok-1')])).toBe(1);
    expect(await apply([event('ok-2')])).toBe(1);
    expect(await appliedCounts(db.dataSource)).toEqual({ 'ok-1': 1, 'ok-2': 1 });
  });

  it('prunes published events and inbox records past the retention, never an event still to publish', async () => {
    const day = 86_400_000;
    const now = clock.now().getTime();
    const write = (id: string, publishedAt: number | null) =>
      db.dataSource.getRepository(OutboxEventRow).insert({
        eventId: id,
        topic: 't',
        payload: '{}',
        occurredAt: now - 30 * day,
        createdAt: now - 30 * day,
        publishedAt,
      });
    await write('old-published', now - 8 * day);
    await write('old-unpublished', null);
    await write('recent-published', now - day);
    const inbox = db.dataSource.getRepository(ProcessedEventRow);
    await inbox.insert([
      { consumer: 'c', eventId: 'old', processedAt: now - 8 * day },
      { consumer: 'c', eventId: 'recent', processedAt: now - day },
    ]);
    // Several batches' worth of old inbox records.
    await inbox.insert(
      Array.from({ length: 25 }, (_, i) => ({
        consumer: 'bulk',
        eventId: `b-${i}`,
        processedAt: now - 9 * day,
      })),
    );

    expect(await pruneEvents(db.dataSource, now - 7 * day, 10)).toBe(27);
    const outbox = await db.dataSource.getRepository(OutboxEventRow).find({ order: { eventId: 'ASC' } });
    expect(outbox.map((e) => e.eventId)).toEqual(['old-unpublished', 'recent-published']);
    expect((await inbox.find()).map((r) => r.eventId)).toEqual(['recent']);
    expect(await pruneEvents(db.dataSource, now - 7 * day, 10)).toBe(0);
  });

  it('an event is written only if its transaction commits', async () => {
    await expect(
      db.dataSource.transaction(async (manager) => {
        await recordRawEvent(manager, clock, 't', { n: 1 });
        throw new Error('rule broken');
      }),
    ).rejects.toThrow('rule broken');
    expect(await db.dataSource.getRepository(OutboxEventRow).count()).toBe(0);
  });

  it('a relay that crashes after publishing and before marking is re-run without loss or duplicates', async () => {
    const transport = new InProcessTransport();
    const apply = consumer();
    await transport.subscribe('orders', 'test-consumer', async (event) => {
      await apply(event);
    });
    const ids = await db.dataSource.transaction(async (manager) => [
      await recordRawEvent(manager, clock, 'orders', { n: 1 }),
      await recordRawEvent(manager, clock, 'orders', { n: 2 }),
      await recordRawEvent(manager, clock, 'orders', { n: 3 }),
    ]);
    let published = 0;
    const crashing = new OutboxRelay({
      dataSource: db.dataSource,
      transport,
      source: 'test',
      clock,
      pollMs: 1000,
      afterPublish: () => {
        published += 1;
        if (published === 2) throw new Error('crash between publish and mark');
      },
    });
    await expect(crashing.runOnce()).rejects.toThrow('crash between publish and mark');
    const pending = await db.dataSource.getRepository(OutboxEventRow).countBy({ publishedAt: IsNull() });
    expect(pending).toBeGreaterThan(0);

    const healthy = new OutboxRelay({
      dataSource: db.dataSource,
      transport,
      source: 'test',
      clock,
      pollMs: 1000,
    });
    // Nothing of the crashed batch was marked: all three go out again, and are applied once.
    expect(await healthy.runOnce()).toBe(3);
    expect(await healthy.runOnce()).toBe(0);
    // Every delivery the bus holds (the crashed batch's and the re-run's) applied, not a fixed wait.
    expect(await transport.settled(10_000)).toBe(true);
    expect(await appliedCounts(db.dataSource)).toEqual(Object.fromEntries(ids.map((id) => [id, 1])));
    await transport.close();
  });

  it('publishes in the order events were written', async () => {
    const transport = new InProcessTransport();
    const seen: number[] = [];
    await transport.subscribe('seq', 'g', async (event) => {
      seen.push((event.payload as { n: number }).n);
    });
    for (let n = 1; n <= 20; n++) {
      await db.dataSource.transaction((manager) => recordRawEvent(manager, clock, 'seq', { n }));
    }
    await new OutboxRelay({
      dataSource: db.dataSource,
      transport,
      source: 'test',
      clock,
      pollMs: 1000,
    }).runOnce();
    expect(await transport.settled(10_000)).toBe(true);
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    await transport.close();
  });
});
