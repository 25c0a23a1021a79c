import { randomUUID } from 'node:crypto';
import { type Server, createServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import { createWebhookWorker, entities, migrations, type WebhookWorkerHandle } from '@lic/accounts';
import {
  type Config,
  type Database,
  EVENT_ENTITIES,
  EVENT_MIGRATIONS,
  type EventTransport,
  OutboxRelay,
  type ServerRegisteredPayload,
  Topics,
  createEventTransport,
  openDatabase,
  recordEvent,
  systemClock,
} from '@lic/shared';
import { testEnvironment } from '@lic/testing';
import { percentile } from '../stats.js';
import { type Figure, type Scenario, type ScenarioContext, type ScenarioResult } from '../types.js';
import { BENCH_DATABASE_URL } from './gateway-platform.js';

/** A local receiver: answers 200 at once and notes when each message arrived, by its event time. */
class Receiver {
  readonly lagsMs: number[] = [];
  readonly ids = new Set<string>();
  duplicates = 0;
  lastAt = 0;
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const now = Date.now();
        const id = String(req.headers['webhook-id']);
        if (this.ids.has(id)) this.duplicates += 1;
        this.ids.add(id);
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { timestamp: string };
        this.lagsMs.push(now - Date.parse(body.timestamp));
        this.lastAt = performance.now();
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hook`;
  }

  reset(): void {
    this.lagsMs.length = 0;
    this.ids.clear();
    this.duplicates = 0;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

interface Setup {
  label: string;
  config: Config;
  workers: number;
  cleanup(): Promise<void>;
}

interface Measured {
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** The rate the steady stream was asked for, and the one the outbox writes achieved. */
  steadyRate: number;
  achievedRate: number;
  duplicates: number;
}

const ACCOUNT = 'bench-account';

async function waitFor(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 5));
  }
  return true;
}

/** Writes `count` server-registered events into the accounts outbox, `perTransaction` at a time. */
async function produce(
  db: Database,
  relay: OutboxRelay,
  count: number,
  perTransaction: number,
): Promise<void> {
  for (let written = 0; written < count; written += perTransaction) {
    const n = Math.min(perTransaction, count - written);
    await db.dataSource.transaction(async (manager) => {
      for (let i = 0; i < n; i++) {
        const payload: ServerRegisteredPayload = {
          serverId: randomUUID(),
          accountId: ACCOUNT,
          installSiteId: 'bench-site',
          name: `bench-${written + i}`,
        };
        await recordEvent(manager, systemClock, Topics.ServerRegistered, payload);
      }
    });
    relay.kick();
  }
}

async function measure(setup: Setup, context: ScenarioContext): Promise<Measured> {
  const { config } = setup;
  const receiver = new Receiver();
  await receiver.start();
  const db = await openDatabase({
    config,
    name: 'accounts',
    entities: [...EVENT_ENTITIES, ...entities],
    migrations: [...EVENT_MIGRATIONS, ...migrations],
  });
  const transport: EventTransport = createEventTransport(config);
  const relay = new OutboxRelay({
    dataSource: db.dataSource,
    transport,
    source: 'accounts',
    clock: systemClock,
    pollMs: config.outboxPollMs,
  });
  const workers: WebhookWorkerHandle[] = [];
  try {
    const now = Date.now();
    await db.dataSource.query(
      'INSERT INTO webhook_endpoint (id, account_id, url, description, event_types, secret, enabled, ' +
        'disabled_reason, disabled_at, consecutive_failures, created_at, updated_at) VALUES (?, ?, ?, NULL, ?, ?, 1, NULL, NULL, 0, ?, ?)',
      [
        randomUUID(),
        ACCOUNT,
        receiver.url,
        JSON.stringify(['server.registered']),
        `whsec_${Buffer.alloc(32, 7).toString('base64')}`,
        now,
        now,
      ],
    );
    // Embedded: one worker on the subgraph's connection and bus; distributed: each its own.
    for (let i = 0; i < setup.workers; i++) {
      workers.push(await createWebhookWorker(config, config.redisUrl ? {} : { database: db, transport }));
    }
    relay.start();
    // Throughput: a burst written as fast as the outbox takes it, delivered to the last message.
    const burst = context.quick ? 300 : 3000;
    context.progress(`${setup.label}: ${burst} events as fast as possible`);
    const started = performance.now();
    await produce(db, relay, burst, 50);
    const complete = await waitFor(() => receiver.ids.size >= burst, context.quick ? 60_000 : 300_000);
    const elapsed = receiver.lastAt - started;
    if (!complete) throw new Error(`${setup.label}: only ${receiver.ids.size} of ${burst} delivered`);
    const perSecond = (burst / elapsed) * 1000;
    const duplicates = receiver.duplicates;
    // Lag: a steady stream well below the throughput, one event per transaction.
    receiver.reset();
    const steadyRate = 50;
    const steadyCount = context.quick ? 100 : 500;
    context.progress(`${setup.label}: lag at ${steadyRate} events/s`);
    const t0 = performance.now();
    for (let i = 0; i < steadyCount; i++) {
      await produce(db, relay, 1, 1);
      const wait = t0 + ((i + 1) * 1000) / steadyRate - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    const achievedRate = (steadyCount / (performance.now() - t0)) * 1000;
    await waitFor(() => receiver.ids.size >= steadyCount, 60_000);
    return {
      achievedRate,
      perSecond,
      p50Ms: percentile(receiver.lagsMs, 50),
      p99Ms: percentile(receiver.lagsMs, 99),
      steadyRate,
      duplicates: duplicates + receiver.duplicates,
    };
  } finally {
    await relay.stop();
    for (const w of workers) await w.close();
    await transport.close();
    await db.close();
    await receiver.stop();
    await setup.cleanup();
  }
}

function setups(): Setup[] {
  const embedded = testEnvironment({ env: { OUTBOX_POLL_MS: '100', WEBHOOK_ALLOW_LOOPBACK: 'true' } });
  const distributed = testEnvironment({
    database: 'mariadb',
    redis: true,
    env: { OUTBOX_POLL_MS: '100', WEBHOOK_ALLOW_LOOPBACK: 'true', DATABASE_URL: BENCH_DATABASE_URL },
  });
  return [
    {
      label: 'embedded (SQLite, in-process bus, 1 worker)',
      config: embedded.config,
      workers: 1,
      cleanup: embedded.cleanup,
    },
    {
      label: 'distributed (MariaDB, Redis Streams, 2 workers)',
      config: distributed.config,
      workers: 2,
      cleanup: distributed.cleanup,
    },
  ];
}

/**
 * Webhook delivery from the outbox to a local receiver: events written to the accounts outbox,
 * relayed onto the bus, turned into deliveries by the worker(s) and POSTed, signed, to a local
 * HTTP server. Throughput is a burst's events over the time to its last delivery; lag is from
 * the event's time (its commit) to its arrival, at a steady 50 events/s.
 */
export const webhookDeliveryScenario: Scenario = {
  name: 'webhook-delivery',
  description: 'webhook delivery: events/s from the outbox to a local receiver, p50/p99 lag',
  async run(context): Promise<ScenarioResult> {
    const figures: Figure[] = [];
    const notes: string[] = [];
    for (const setup of setups()) {
      const m = await measure(setup, context);
      figures.push(
        {
          name: `${setup.label}: delivered per second (burst)`,
          value: Math.round(m.perSecond),
          unit: 'events/s',
        },
        { name: `${setup.label}: lag p50, steady stream`, value: Math.round(m.p50Ms), unit: 'ms' },
        { name: `${setup.label}: lag p99, steady stream`, value: Math.round(m.p99Ms), unit: 'ms' },
        {
          name: `${setup.label}: steady stream rate (asked ${m.steadyRate}/s)`,
          value: Math.round(m.achievedRate * 10) / 10,
          unit: 'events/s',
        },
      );
      if (m.duplicates > 0) notes.push(`${setup.label}: ${m.duplicates} messages arrived twice`);
    }
    return { scenario: 'webhook-delivery', figures, ...(notes.length > 0 ? { notes } : {}) };
  },
};
