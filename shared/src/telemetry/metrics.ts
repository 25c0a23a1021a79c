import { timingSafeEqual } from 'node:crypto';
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { type Config, isLoopbackHost } from '../config/config.js';

/** The peer's address: no forwarding header is trusted (the gateway may face clients directly). */
export function clientAddress(req: IncomingMessage): string {
  const raw = req.socket.remoteAddress ?? 'unknown';
  return raw.startsWith('::ffff:') ? raw.slice(7) : raw;
}

/**
 * Who may read /metrics (the gateway's and every subgraph's: it names operations, error rates and
 * load): with METRICS_TOKEN set, the holder of that bearer token; without one, nobody in
 * production, and outside production only a client on this machine.
 */
export function metricsAccess(
  config: Pick<Config, 'env' | 'metricsToken'>,
  req: IncomingMessage,
): 'allowed' | 'unauthorised' | 'closed' {
  if (config.metricsToken) {
    const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization?.trim() ?? '');
    const given = Buffer.from(match?.[1] ?? '');
    const expected = Buffer.from(config.metricsToken);
    return given.length === expected.length && timingSafeEqual(given, expected) ? 'allowed' : 'unauthorised';
  }
  if (config.env === 'production') return 'closed';
  return isLoopbackHost(clientAddress(req)) ? 'allowed' : 'closed';
}

/**
 * Answers GET /metrics: the registry's Prometheus text, 401 (with `WWW-Authenticate`) to a caller
 * without the token, 404 where the endpoint is closed (see metricsAccess).
 */
export async function serveMetrics(
  config: Pick<Config, 'env' | 'metricsToken'>,
  registry: Registry,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const access = metricsAccess(config, req);
  if (access !== 'allowed') {
    const unauthorised = access === 'unauthorised';
    res.writeHead(unauthorised ? 401 : 404, {
      'content-type': 'text/plain; charset=utf-8',
      ...(unauthorised ? { 'www-authenticate': 'Bearer realm="metrics"' } : {}),
    });
    res.end(unauthorised ? 'Metrics need Authorization: Bearer <METRICS_TOKEN>' : 'Not found');
    return;
  }
  const text = await registry.metrics();
  res.writeHead(200, { 'content-type': registry.contentType });
  res.end(text);
}

/** What a subgraph's outbox holds unpublished (read when /metrics is scraped). */
export interface OutboxBacklog {
  events: number;
  /** Age of the oldest unpublished event, in seconds (0 when there is none). */
  oldestAgeSeconds: number;
}

/** Readings a subgraph's runtime offers its metrics; each is read at scrape time. */
export interface RuntimeReadings {
  outboxBacklog?(): Promise<OutboxBacklog>;
  /** Database connections in use (MariaDB pool); undefined where it is not cheap to know. */
  dbConnectionsInUse?(): number | undefined;
}

/** Distinct operation names a registry labels series with (the gateway plans a bounded set). */
const MAX_OPERATION_LABELS = 200;
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * A subgraph's Prometheus metrics at its `/metrics`, one registry per subgraph (embedded mode
 * runs four in one process: each endpoint reports that process's default metrics, and its own
 * subgraph's operations, outbox and events). The metric names carry no service: `service` is a
 * label, so the four subgraphs' series sit side by side in one Prometheus.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  readonly requests: Counter<'operation' | 'type'>;
  readonly duration: Histogram<'operation' | 'type'>;
  private readonly consumed: Counter<'topic'>;
  private readonly failed: Counter<'topic'>;
  private readings: RuntimeReadings = {};
  private readonly operations = new Set<string>();

  constructor(readonly service: string) {
    const registers = [this.registry];
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({
      name: 'graphql_operations_total',
      help: 'GraphQL operations executed, by operation name and type',
      labelNames: ['operation', 'type'],
      registers,
    });
    this.duration = new Histogram({
      name: 'graphql_operation_duration_seconds',
      help: 'Time to execute a GraphQL operation (parse to response)',
      labelNames: ['operation', 'type'],
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.consumed = new Counter({
      name: 'events_consumed_total',
      help: 'Events (or batches of events) applied by this service, by topic',
      labelNames: ['topic'],
      registers,
    });
    this.failed = new Counter({
      name: 'events_failed_total',
      help: 'Event deliveries whose handler failed (the event is delivered again), by topic',
      labelNames: ['topic'],
      registers,
    });
    // One read of the outbox serves both gauges of a scrape.
    let backlog: Promise<OutboxBacklog | undefined> | undefined;
    const readBacklog = () =>
      (backlog ??= (this.readings.outboxBacklog?.() ?? Promise.resolve(undefined))
        .catch(() => undefined)
        .finally(() => setImmediate(() => (backlog = undefined))));
    new Gauge({
      name: 'outbox_backlog_events',
      help: 'Events written to the outbox and not yet published',
      registers,
      async collect() {
        const read = await readBacklog();
        if (read) this.set(read.events);
      },
    });
    new Gauge({
      name: 'outbox_oldest_unpublished_age_seconds',
      help: 'Age of the oldest event not yet published (0 when none waits)',
      registers,
      async collect() {
        const read = await readBacklog();
        if (read) this.set(read.oldestAgeSeconds);
      },
    });
    const readings = () => this.readings;
    new Gauge({
      name: 'db_pool_connections_in_use',
      help: 'Database connections in use (MariaDB; SQLite has one connection and reports none)',
      registers,
      collect() {
        const inUse = readings().dbConnectionsInUse?.();
        if (inUse !== undefined) this.set(inUse);
      },
    });
  }

  /** The runtime's readings (outbox backlog, pool), once it has a database. */
  observe(readings: RuntimeReadings): void {
    this.readings = readings;
  }

  eventConsumed(topic: string, count = 1): void {
    this.consumed.inc({ topic }, count);
  }

  eventFailed(topic: string): void {
    this.failed.inc({ topic });
  }

  operation(type: string, name: string | undefined | null, seconds: number): void {
    let operation = name ?? '(anonymous)';
    // Operation names come from callers: past MAX_OPERATION_LABELS distinct ones, the rest are `other`.
    if (!this.operations.has(operation)) {
      if (this.operations.size >= MAX_OPERATION_LABELS) operation = 'other';
      else this.operations.add(operation);
    }
    const labels = { operation, type };
    this.requests.inc(labels);
    this.duration.observe(labels, seconds);
  }
}
