import {
  type ServiceHandle,
  type SubgraphServerOptions,
  startSubgraphServer,
} from '../http/subgraph-server.js';
import { type BaseContext } from '@apollo/server';
import { Redis } from 'ioredis';
import { type AuditSink, outboxAuditSink } from '../audit/audit.js';
import { type TokenVerifier } from '../auth/auth.js';
import { CachingTokenVerifier } from '../auth/caching-verifier.js';
import { systemClock, type Clock } from '../clock/clock.js';
import { type Config } from '../config/config.js';
import { type Database } from '../db/database.js';
import { openDatabase, type DatabaseOptions } from '../db/data-source.js';
import { EventBus, createEventTransport } from '../events/bus.js';
import { EVENT_ENTITIES } from '../events/outbox.entity.js';
import { EVENT_MIGRATIONS } from '../events/events-migration.js';
import { type EventTransport } from '../events/types.js';
import { createLogger, type Logger } from '../logging/logger.js';
import { Readiness, databaseCheck, redisCheck } from '../lifecycle/readiness.js';
import { createPubSub, type PubSubHandle } from '../pubsub/pubsub.js';
import { ServiceMetrics } from '../telemetry/metrics.js';
import { startTracing } from '../telemetry/tracing.js';
import { outboxBacklog, poolConnectionsInUse } from '../telemetry/readings.js';

/** What a subgraph needs from the outside world; tests and the launcher may inject any part. */
export interface RuntimeOverrides {
  clock?: Clock;
  logger?: Logger;
  /** Shared by all subgraphs of one process in embedded mode. */
  transport?: EventTransport;
  pubSub?: PubSubHandle;
}

/** What every subgraph's `createServer` returns: its HTTP server and its database. */
export interface SubgraphHandle extends ServiceHandle {
  /** The subgraph's database (tests read it and count its statements through it). */
  database: Database;
}

export interface SubgraphRuntime {
  name: string;
  config: Config;
  clock: Clock;
  logger: Logger;
  db: Database;
  bus: EventBus;
  pubSub: PubSubHandle;
  verifier: TokenVerifier;
  /**
   * `/readyz`: the database (down: not ready), Redis when configured (down: degraded: requests
   * are served, events wait in the outbox), and the outbox backlog (reported only).
   */
  readiness: Readiness;
  /** Where the subgraph's audit entries go: its outbox (event `audit.recorded`). */
  audit: AuditSink;
  /** The subgraph's `/metrics`: process, operations, outbox, events. */
  metrics: ServiceMetrics;
  /**
   * Serves the subgraph's schema on `port` with this runtime's token verifier, metrics, readiness
   * and audit sink. Closing the server drains its requests, runs `stop` (the subgraph's own
   * background work), then closes the runtime.
   */
  serve<TContext extends BaseContext>(options: ServeOptions<TContext>): Promise<ServiceHandle>;
  /** Stops the bus (flushing the outbox relay when its transport delivers durably), closes the rest. */
  close(): Promise<void>;
}

/** What a subgraph says of its server; the runtime supplies the rest (see SubgraphRuntime.serve). */
export type ServeOptions<TContext extends BaseContext> = Pick<
  SubgraphServerOptions<TContext>,
  'port' | 'schema' | 'createContext' | 'internalRoutes'
> & {
  /** The subgraph's own background work, stopped before the runtime closes. */
  stop?(): Promise<void>;
};

/** How long a shutdown gives the outbox relay to publish what is committed. */
const FLUSH_WITHIN_MS = 3000;

export async function createRuntime(
  name: string,
  config: Config,
  schema: Pick<DatabaseOptions, 'entities' | 'migrations' | 'multipleStatements'>,
  overrides: RuntimeOverrides = {},
): Promise<SubgraphRuntime> {
  const logger = overrides.logger ?? createLogger(name, config.logLevel);
  await startTracing(config, name);
  const metrics = new ServiceMetrics(name);
  const clock = overrides.clock ?? systemClock;
  const db = await openDatabase({
    config,
    name,
    entities: [...EVENT_ENTITIES, ...schema.entities],
    migrations: [...EVENT_MIGRATIONS, ...schema.migrations],
    ...(schema.multipleStatements ? { multipleStatements: true } : {}),
    logger,
  });
  const ownTransport = overrides.transport === undefined;
  const transport = overrides.transport ?? createEventTransport(config, logger);
  const ownPubSub = overrides.pubSub === undefined;
  const pubSub = overrides.pubSub ?? createPubSub(config, `${config.redisPrefix}live:`);
  const bus = new EventBus({
    service: name,
    dataSource: db.dataSource,
    transport,
    clock,
    pollMs: config.outboxPollMs,
    retentionMs: config.eventRetentionHours * 3_600_000,
    logger,
    metrics,
  });
  metrics.observe({
    outboxBacklog: () => outboxBacklog(db.dataSource, clock),
    dbConnectionsInUse: () => poolConnectionsInUse(db.dataSource),
  });
  const readiness = new Readiness({ service: name, checks: [databaseCheck(db.dataSource)] });
  // Its own client, without an offline queue: a PING while Redis is down fails at once.
  const probe = config.redisUrl
    ? new Redis(config.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 0 })
    : undefined;
  if (probe) {
    probe.on('error', () => undefined);
    readiness.add(redisCheck(probe));
  }
  readiness.add({
    name: 'outbox',
    severity: 'info',
    probe: async () => {
      const backlog = await outboxBacklog(db.dataSource, clock);
      return { pending: backlog.events, oldestAgeSeconds: backlog.oldestAgeSeconds };
    },
  });
  const verifier = new CachingTokenVerifier(config);
  const audit = outboxAuditSink(db.dataSource, clock, logger);
  const close = async (): Promise<void> => {
    // The in-process bus lives in memory: what it holds at exit is gone, while what is still
    // pending in the outbox is published at the next start. Only a durable transport is flushed.
    const durable = transport.kind === 'redis-streams';
    const flushed = await bus.stop(durable ? { flushWithinMs: FLUSH_WITHIN_MS } : {});
    logger.info(
      durable ? { published: flushed ?? 'unfinished' } : { published: 'kept in the outbox' },
      'shutdown: event consumers and outbox relay stopped',
    );
    if (ownTransport) await transport.close();
    if (ownPubSub) await pubSub.close();
    probe?.disconnect();
    await db.close();
    logger.info({}, 'shutdown: database and Redis connections closed');
  };
  return {
    name,
    config,
    clock,
    logger,
    db,
    bus,
    pubSub,
    verifier,
    readiness,
    metrics,
    audit,
    serve: ({ stop, ...options }) =>
      startSubgraphServer({
        ...options,
        name,
        config,
        logger,
        verifier,
        metrics,
        readiness,
        audit,
        onClose: async () => {
          await stop?.();
          await close();
        },
      }),
    close,
  };
}
