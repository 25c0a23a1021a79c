import { Redis } from 'ioredis';
import {
  BackgroundTask,
  type Config,
  type RuntimeOverrides,
  type SubgraphHandle,
  createRevocationChannel,
  createRuntime,
  resolveVerificationKey,
} from '@lic/shared';
import { CallService } from './call/call.service.js';
import { createContext, type Services } from './context.js';
import { Db } from './db/db.js';
import { PoolAlerts } from './alerts/pool-alerts.js';
import { Effects } from './effects.js';
import { EnforcementEffects } from './enforcement/enforcement.consumer.js';
import { Unlicensing } from './enforcement/unlicensed.js';
import { entities } from './entities.js';
import { eventHandlers } from './events.js';
import { ExpiryScheduler } from './expiry/expiry.scheduler.js';
import { LicenseService } from './license/license.service.js';
import { migrations } from './migrations/index.js';
import { PoolStore } from './pool/pool.store.js';
import { buildAllocationSchema } from './schema.js';
import { ServerService } from './server/server.service.js';
import { SessionEnder } from './session/session-ender.js';
import { SessionService } from './session/session.service.js';
import { StationService } from './station/station.service.js';
import { StatisticsFeed, StatisticsPublisher } from './statistics/statistics.publisher.js';
import { StatisticsService } from './statistics/statistics.service.js';
import { UsageHistory } from './statistics/history.store.js';
import { UserService } from './user/user.service.js';
import { UserStore } from './user/user.store.js';

export interface AllocationServer extends SubgraphHandle {
  services: Services;
  /** The logon path's layer over it (group commit). */
  db: Db;
}

export async function createServer(
  config: Config,
  overrides: RuntimeOverrides = {},
): Promise<AllocationServer> {
  const runtime = await createRuntime(
    'allocation',
    config,
    // Multiple statements: a logon's writes and commit go as one batch (PoolStore.finish).
    { entities, migrations, multipleStatements: true },
    overrides,
  );
  const { clock, logger } = runtime;
  const db = new Db(runtime.db);
  const pools = new PoolStore(db);
  const userStore = new UserStore(db);
  let verificationKey: string | undefined;
  const revocations = createRevocationChannel(config, (url) => new Redis(url, { maxRetriesPerRequest: 1 }));
  const servers = new ServerService(db, clock, config, revocations);
  const statistics = new StatisticsService(db, clock, servers, pools);
  const history = new UsageHistory(db, clock, servers, config.usageHistory, logger);
  const publisher = new StatisticsPublisher(
    runtime.pubSub.pubSub,
    (id) => statistics.unitMessages(id),
    logger,
    50,
    (messages) => {
      for (const m of messages)
        history.observe({
          serverId: m.serverId,
          version: m.version,
          at: Date.parse(m.at),
          statistics: m.statistics,
        });
    },
  );
  const feed = new StatisticsFeed(runtime.pubSub.pubSub, publisher, (id) => statistics.message(id), logger);
  const alerts = new PoolAlerts(db, clock, config.poolAlerts, logger);
  const effects = new Effects(publisher, db.dataSource, alerts);
  const licenses = new LicenseService(
    db,
    clock,
    servers,
    pools,
    effects,
    () => (verificationKey ??= resolveVerificationKey(config)),
  );
  const ender = new SessionEnder(clock, pools, userStore);
  const sessions = new SessionService(
    db,
    clock,
    pools,
    userStore,
    ender,
    effects,
    logger,
    config.sessionLeaseSeconds,
    config.eventFutureToleranceSeconds,
    licenses,
  );
  const unlicensing = new Unlicensing(db, pools, userStore, ender, licenses);
  const expiry = new ExpiryScheduler(
    db,
    clock,
    unlicensing,
    effects,
    logger,
    config.licenseExpiryTickSeconds * 1000,
  );
  const services: Services = {
    pageBounds: config.pagination,
    servers,
    licenses,
    users: new UserService(db, clock, servers, pools, userStore, ender, effects),
    stations: new StationService(db, clock, servers, pools, effects),
    sessions,
    calls: new CallService(db, clock, servers, pools, effects),
    statistics,
    publisher,
    feed,
    history,
    pubSub: runtime.pubSub.pubSub,
    expiry,
    alerts,
    clock,
  };
  const { schema } = await buildAllocationSchema(services);
  const enforcementEffects = new EnforcementEffects(db, pools, userStore, licenses, unlicensing, effects);
  await runtime.bus.consumeAll(eventHandlers({ enforcement: enforcementEffects, licenses, servers }));
  runtime.bus.start();

  // Every sessionSweepSeconds (the first after one interval); a tick while a sweep runs is skipped.
  const sweepMs = config.sessionSweepSeconds * 1000;
  const sweeper = new BackgroundTask({
    run: () =>
      Promise.all([
        sessions.sweep().catch((error: unknown) => logger.warn({ err: error }, 'session sweep failed')),
        // Pools with room again end their exhaustion episodes (on the same tick).
        alerts.sweep().catch((error: unknown) => logger.warn({ err: error }, 'pool alert sweep failed')),
        // Development licences: calls open for an hour are ended (on the same tick as the leases).
        services.calls
          .sweepDevelopmentCalls()
          .then((ended) => {
            if (ended > 0) logger.info({ calls: ended }, 'ended calls of development-licensed servers');
          })
          .catch((error: unknown) => logger.warn({ err: error }, 'development call sweep failed')),
      ]),
    pollMs: sweepMs,
    firstPollMs: sweepMs,
    whileRunning: 'skip',
  });
  sweeper.start();
  expiry.start();
  history.start();

  const handle = await runtime.serve({
    port: config.ports.allocation,
    schema,
    createContext: (principal) => createContext(services, principal),
    stop: async () => {
      await sweeper.stop();
      await alerts.settle();
      await expiry.stop();
      await publisher.close();
      await history.stop();
      await revocations.close();
    },
  });
  return { ...handle, services, database: runtime.db, db };
}
