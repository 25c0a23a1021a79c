import {
  type Clock,
  type Config,
  type Database,
  EVENT_ENTITIES,
  EVENT_MIGRATIONS,
  type EventTransport,
  type Logger,
  OutboxRelay,
  type ServiceHandle,
  createEventTransport,
  createLogger,
  onEventsCommitted,
  openDatabase,
  systemClock,
} from '@lic/shared';
import { entities } from '../entities.js';
import { migrations } from '../migrations/index.js';
import { WebhookWorker } from './worker.js';

export interface WebhookWorkerOverrides {
  clock?: Clock;
  logger?: Logger;
  transport?: EventTransport;
  /** Embedded mode: the accounts subgraph's own database (one SQLite connection per file). */
  database?: Database;
  resolve?: (host: string) => Promise<string[]>;
}

export interface WebhookWorkerHandle extends ServiceHandle {
  worker: WebhookWorker;
}

/**
 * The webhook delivery worker: `node scripts/dist/service.js webhooks` in distributed mode (any
 * number of them share the work), in the platform's process in embedded mode. It uses the
 * accounts database (endpoints and deliveries live there) and listens on no port.
 */
export async function createWebhookWorker(
  config: Config,
  overrides: WebhookWorkerOverrides = {},
): Promise<WebhookWorkerHandle> {
  const logger = overrides.logger ?? createLogger('webhooks', config.logLevel);
  const clock = overrides.clock ?? systemClock;
  const ownDatabase = overrides.database === undefined;
  const db =
    overrides.database ??
    (await openDatabase({
      config,
      name: 'accounts',
      entities: [...EVENT_ENTITIES, ...entities],
      migrations: [...EVENT_MIGRATIONS, ...migrations],
      logger,
    }));
  const ownTransport = overrides.transport === undefined;
  const transport = overrides.transport ?? createEventTransport(config, logger);
  // Its own relay when it has its own connection: the endpoint-disabled notice goes out promptly.
  const relay = ownDatabase
    ? new OutboxRelay({
        dataSource: db.dataSource,
        transport,
        source: 'accounts',
        clock,
        pollMs: config.outboxPollMs,
        logger,
      })
    : undefined;
  relay?.start();
  // Its own relay publishes what its own commits recorded (an endpoint-disabled notice) at once.
  const stopListening = relay ? onEventsCommitted(db.dataSource, () => relay.kick()) : undefined;
  const worker = new WebhookWorker({
    database: db,
    transport,
    clock,
    settings: config.webhooks,
    logger,
    ...(overrides.resolve ? { resolve: overrides.resolve } : {}),
  });
  await worker.start();
  logger.info({ owner: worker.owner, concurrency: config.webhooks.concurrency }, 'webhook worker started');
  return {
    name: 'webhooks',
    url: '',
    port: 0,
    worker,
    close: async () => {
      await worker.stop();
      stopListening?.();
      await relay?.stop();
      if (ownTransport) await transport.close();
      if (ownDatabase) await db.close();
      logger.info({}, 'shutdown: webhook worker stopped');
    },
  };
}
