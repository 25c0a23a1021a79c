import { type TokenVerifier } from '../auth/auth.js';
import { CachingTokenVerifier } from '../auth/caching-verifier.js';
import { systemClock, type Clock } from '../clock/clock.js';
import { type Config } from '../config/config.js';
import { openDatabase, type Database, type DatabaseOptions } from '../db/data-source.js';
import { EventBus, createEventTransport } from '../events/bus.js';
import { EVENT_ENTITIES } from '../events/outbox.entity.js';
import { EVENT_MIGRATIONS } from '../events/events-migration.js';
import { type EventTransport } from '../events/types.js';
import { createLogger, type Logger } from '../logging/logger.js';
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

export interface SubgraphRuntime {
  name: string;
  config: Config;
  clock: Clock;
  logger: Logger;
  db: Database;
  bus: EventBus;
  pubSub: PubSubHandle;
  verifier: TokenVerifier;
  /** The subgraph's `/metrics` (pass it to startSubgraphServer): process, operations, outbox, events. */
  metrics: ServiceMetrics;
  close(): Promise<void>;
}

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
  return {
    name,
    config,
    clock,
    logger,
    db,
    bus,
    pubSub,
    verifier: new CachingTokenVerifier(config),
    metrics,
    close: async () => {
      await bus.stop();
      if (ownTransport) await transport.close();
      if (ownPubSub) await pubSub.close();
      await db.close();
    },
  };
}
