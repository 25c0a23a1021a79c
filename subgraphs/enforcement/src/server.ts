import {
  type Config,
  type RuntimeOverrides,
  type SubgraphHandle,
  partnerCustomersOf,
  createRuntime,
} from '@lic/shared';
import { CheckInService } from './checkin/check-in.service.js';
import { createContext, type Services } from './context.js';
import { entities } from './entities.js';
import { eventHandlers } from './events.js';
import { migrations } from './migrations/index.js';
import { demoClock as demoClockOf } from './rules/demo-clock.js';
import { EnforcementScheduler } from './scheduler/scheduler.js';
import { buildEnforcementSchema } from './schema.js';
import { EnforcementService } from './status/enforcement.service.js';
import { StandingService } from './standing/standing.service.js';
import { StageWriter } from './status/stage-writer.js';

export interface EnforcementServerHandle extends SubgraphHandle {
  services: Services;
  /** Advances stages as time passes; tests call `tick()` after moving a ManualClock. */
  scheduler: EnforcementScheduler;
}

export async function createServer(
  config: Config,
  overrides: RuntimeOverrides = {},
): Promise<EnforcementServerHandle> {
  const runtime = await createRuntime('enforcement', config, { entities, migrations }, overrides);
  const { clock, logger } = runtime;
  const dataSource = runtime.db.dataSource;
  // Only the configured demo accounts' servers run their grace period on a fast clock.
  const demoClock = demoClockOf(config.demoEnforcement);
  if (config.demoEnforcement.accountIds.length > 0) {
    logger.warn(
      { accountIds: config.demoEnforcement.accountIds, timeScale: config.demoEnforcement.timeScale },
      'enforcement demo clock: these accounts run their grace periods faster than real time',
    );
  }
  const writer = new StageWriter(clock, demoClock);

  const enforcement = new EnforcementService(dataSource, clock, writer, logger);
  const standing = new StandingService(dataSource, clock);
  const checkIns = new CheckInService(
    dataSource,
    clock,
    runtime.db,
    writer,
    enforcement,
    standing,
    config.eventFutureToleranceSeconds,
  );
  const services: Services = {
    enforcement,
    checkIns,
    standing,
    live: runtime.pubSub.pubSub,
    partners: (partnerAccountId) => partnerCustomersOf(dataSource.manager, partnerAccountId),
    pageBounds: config.pagination,
    demoClock,
  };
  const scheduler = new EnforcementScheduler({
    database: runtime.db,
    clock,
    writer,
    intervalMs: config.enforcementTickSeconds * 1000,
    logger,
  });
  // Every committed write that planned a next stage arms the scheduler's timer for it.
  writer.onNextStage((nextStageAt) => scheduler.notify(nextStageAt));

  await runtime.bus.consumeAll(eventHandlers(services));

  const { schema } = await buildEnforcementSchema(services);
  runtime.bus.start();
  // A demo account listed since the last start: its servers' next stages were planned in real time.
  await scheduler.dueNow(config.demoEnforcement.accountIds);
  scheduler.start();
  const handle = await runtime.serve({
    port: config.ports.enforcement,
    schema,
    createContext: (principal) => createContext(services, principal),
    stop: () => scheduler.stop(),
  });
  return { ...handle, services, scheduler: scheduler, database: runtime.db };
}
