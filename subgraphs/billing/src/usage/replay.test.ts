import { randomBytes } from 'node:crypto';
import {
  type DomainEvent,
  EVENT_ENTITIES,
  EVENT_MIGRATIONS,
  InProcessTransport,
  type EventTransport,
  ManualClock,
  OutboxRelay,
  RedisStreamTransport,
  openDatabase,
  recordRawEvent,
} from '@lic/shared';
import { TEST_REDIS_URL, describeEachDatabase, testEnvironment } from '@lic/testing';
import {
  type BillingHarness,
  EventFactory,
  LICENSES,
  REPORT_QUERY,
  type ReportResult,
  SESSIONS_QUERY,
  type ServerRef,
  type SessionsResult,
  UPLOAD_LICENSE,
  billingHarness,
  newServer,
} from '../../test/harness.js';

const PERIODS = ['2020-04-28T00:00:00.000Z', '2020-05-28T00:00:00.000Z'];

/** A reproducible pseudo-random source. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

/**
 * Nine days around the period boundary of 8 users logging on to one or two applications at
 * a time, some sessions crossing midnight and the boundary, and a licence reloaded midway.
 */
function workload(server: ServerRef, f: EventFactory, seed: number): DomainEvent[] {
  const rnd = random(seed);
  const events = [f.licenseLoaded(server, UPLOAD_LICENSE, '2020-05-01T00:00:00.000Z')];
  const kinds = [LICENSES.tina, LICENSES.sam, LICENSES.jane, LICENSES.john];
  for (let u = 0; u < 8; u++) {
    let t = Date.parse('2020-05-23T06:00:00.000Z') + Math.floor(rnd() * 6) * 3_600_000;
    const licenses = kinds[u % kinds.length]!;
    while (t < Date.parse('2020-06-01T00:00:00.000Z')) {
      const length = (30 + Math.floor(rnd() * 600)) * 60_000;
      events.push(
        ...f.session(
          server,
          `user-${u}`,
          new Date(t).toISOString(),
          new Date(t + length).toISOString(),
          licenses,
        ),
      );
      if (rnd() < 0.4) {
        // A second application inside the first: the counter goes to 2 and back.
        const inner = t + Math.floor(length / 4);
        events.push(
          f.logon(server, `user-${u}`, new Date(inner).toISOString(), licenses, 'Desktop'),
          f.logoff(server, `user-${u}`, new Date(inner + length / 3).toISOString(), licenses, 'Desktop'),
        );
      }
      t += length + (15 + Math.floor(rnd() * 1500)) * 60_000;
    }
  }
  events.push(f.licenseLoaded(server, UPLOAD_LICENSE, '2020-05-25T00:00:00.000Z'));
  return events;
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const rnd = random(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Everything a customer sees about the account: both periods' reports and the sessions. */
async function observe(h: BillingHarness, server: ServerRef) {
  const reports = [];
  for (const periodStart of PERIODS) {
    reports.push(
      (await h.data<ReportResult>(REPORT_QUERY, { accountId: server.accountId, periodStart })).usageReport,
    );
  }
  const sessions = await h.data<SessionsResult>(SESSIONS_QUERY, {
    serverId: server.serverId,
    from: '2020-05-01T00:00:00.000Z',
    to: '2020-06-10T00:00:00.000Z',
  });
  return { reports, sessions: sessions.usageSessions };
}

describeEachDatabase('event replay and out-of-order delivery', (database) => {
  const harnesses: BillingHarness[] = [];
  afterAll(async () => {
    for (const h of harnesses) await h.close();
  });
  const harness = async () => {
    const h = await billingHarness({ database });
    h.clock.set('2020-07-01T00:00:00.000Z');
    harnesses.push(h);
    return h;
  };

  it('gives the same report and sessions for events in order, shuffled, duplicated and replayed', async () => {
    const server = newServer();
    const events = workload(server, new EventFactory(), 7);
    const inOrder = await harness();
    await inOrder.publish(events);
    const expected = await observe(inOrder, server);
    expect(expected.reports[0]!.lines.find((l) => l.category === 'AGENT')!.namedUsers).toBeGreaterThan(0);
    expect(expected.sessions.length).toBeGreaterThan(20);

    const scrambled = await harness();
    // Out of order, across and within topics, every event delivered twice (a redelivery
    // after a crash); then the whole stream replayed once more.
    await scrambled.publish(shuffled([...events, ...events], 11));
    expect(await observe(scrambled, server)).toEqual(expected);
    await scrambled.publish(events);
    expect(await observe(scrambled, server)).toEqual(expected);
  });
});

/**
 * Allocation keeps working while billing is down: its outbox relay publishes logons and
 * logoffs to the bus; the bus keeps them for billing's consumer group; when billing comes back
 * it applies them and the report is complete.
 */
async function billingDownScenario(database: 'sqlite' | 'mariadb', transport: EventTransport): Promise<void> {
  const clock = new ManualClock('2020-07-01T00:00:00.000Z');
  const producerEnv = testEnvironment({ database: 'sqlite' });
  const producer = await openDatabase({
    config: producerEnv.config,
    name: 'allocation-outbox',
    entities: EVENT_ENTITIES,
    migrations: EVENT_MIGRATIONS,
  });
  const relay = new OutboxRelay({
    dataSource: producer.dataSource,
    transport,
    source: 'allocation',
    clock,
    pollMs: 50,
  });
  const reference = await billingHarness({ database: 'sqlite', clock });
  const h = await billingHarness({ database, transport, clock });
  try {
    const server = newServer();
    const events = workload(server, new EventFactory(), 3);
    const half = Math.floor(events.length / 2);
    /** What allocation does: record the event in its own transaction, then the relay publishes it. */
    const produce = async (batch: DomainEvent[]) => {
      await producer.dataSource.transaction(async (manager) => {
        for (const e of batch)
          await recordRawEvent(manager, clock, e.topic, e.payload, new Date(e.occurredAt), e.id);
      });
      await relay.flush();
    };

    await produce(events.slice(0, half));
    await h.applied(half);
    await h.stop();
    await produce(events.slice(half));
    await h.start();
    await h.applied(events.length);

    await reference.publish(events);
    expect(await observe(h, server)).toEqual(await observe(reference, server));
  } finally {
    await relay.stop();
    await h.close();
    await reference.close();
    await producer.close();
    await producerEnv.cleanup();
  }
}

describeEachDatabase('billing down while allocation works', (database) => {
  it('loses nothing: events published while billing is stopped are applied when it returns', async () => {
    const transport = new InProcessTransport();
    try {
      await billingDownScenario(database, transport);
    } finally {
      await transport.close();
    }
  });
});

describe('billing down while allocation works [mariadb + Redis Streams]', () => {
  it('loses nothing through Redis Streams consumer groups', async () => {
    const prefix = `lictest:${randomBytes(4).toString('hex')}:events:`;
    const transport = new RedisStreamTransport(TEST_REDIS_URL, { keyPrefix: prefix });
    try {
      await billingDownScenario('mariadb', transport);
    } finally {
      await transport.close();
      const { Redis } = await import('ioredis');
      const redis = new Redis(TEST_REDIS_URL);
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    }
  });
});
