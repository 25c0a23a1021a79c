import {
  type Config,
  type Database,
  type RuntimeOverrides,
  type ServiceHandle,
  Topics,
  applyPartnerCustomers,
  partnerCustomersOf,
  createRuntime,
  startSubgraphServer,
} from '@lic/shared';
import { CheckInService } from './checkin/check-in.service.js';
import { createContext, type Services } from './context.js';
import { Transactions } from './db/transactions.js';
import { entities } from './entities.js';
import { publishStageChange } from './history/live.js';
import { migrations } from './migrations/index.js';
import { demoClock as demoClockOf } from './rules/demo-clock.js';
import { EnforcementScheduler } from './scheduler/scheduler.js';
import { buildEnforcementSchema } from './schema.js';
import { EnforcementService } from './status/enforcement.service.js';
import { StandingService } from './standing/standing.service.js';
import { StageWriter } from './status/stage-writer.js';
import { type WriteHooks } from './status/write-hooks.js';

export interface EnforcementServerHandle extends ServiceHandle {
  services: Services;
  /** Advances stages as time passes; tests call `tick()` after moving a ManualClock. */
  scheduler: EnforcementScheduler;
  /** The subgraph's database (tests count statements and read the outbox through it). */
  database: Database;
}

export async function createServer(
  config: Config,
  overrides: RuntimeOverrides = {},
): Promise<EnforcementServerHandle> {
  const runtime = await createRuntime('enforcement', config, { entities, migrations }, overrides);
  const { clock, logger } = runtime;
  const dataSource = runtime.db.dataSource;
  const transactions = new Transactions(dataSource, runtime.db.kind === 'sqlite');
  // Only the configured demo accounts' servers run their grace period on a fast clock.
  const demoClock = demoClockOf(config.demoEnforcement);
  if (config.demoEnforcement.accountIds.length > 0) {
    logger.warn(
      { accountIds: config.demoEnforcement.accountIds, timeScale: config.demoEnforcement.timeScale },
      'enforcement demo clock: these accounts run their grace periods faster than real time',
    );
  }
  const writer = new StageWriter(clock, demoClock);

  // The hooks run only after start-up, once `scheduler` below exists.
  const hooks: WriteHooks = {
    committed: (result) => {
      runtime.bus.relay.kick();
      scheduler.notify(result.row.nextStageAt);
    },
    staged: (result) => scheduler.notify(result.row.nextStageAt),
  };
  const enforcement = new EnforcementService(dataSource, clock, writer, hooks, logger);
  const standing = new StandingService(dataSource, clock);
  const checkIns = new CheckInService(
    dataSource,
    clock,
    transactions,
    writer,
    enforcement,
    standing,
    hooks,
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
    dataSource,
    clock,
    transactions,
    writer,
    hooks,
    intervalMs: config.enforcementTickSeconds * 1000,
    logger,
  });

  await runtime.bus.consumeTyped(Topics.ServerRegistered, (payload, _event, manager) =>
    enforcement.onServerRegistered(manager, payload),
  );
  await runtime.bus.consumeTyped(Topics.LicenseFileLoaded, (payload, _event, manager) =>
    enforcement.onLicenseFileLoaded(manager, payload),
  );
  await runtime.bus.consumeTyped(Topics.ServerCredentialIssued, (payload, _event, manager) =>
    enforcement.onServerCredentialIssued(manager, payload),
  );
  await runtime.bus.consumeTyped(Topics.ServerStarted, (payload, _event, manager) =>
    checkIns.onServerStarted(manager, payload),
  );
  // The facts of good standing: each file's current revision and deactivation, and the accounts.
  await runtime.bus.consumeTyped(Topics.ActivationFileUpdated, (payload, _event, manager) =>
    standing.onActivationFileUpdated(manager, payload),
  );
  await runtime.bus.consumeTyped(Topics.ActivationFileDeactivated, (payload, _event, manager) =>
    standing.onActivationFileDeactivated(manager, payload),
  );
  await runtime.bus.consumeTyped(Topics.PartnerCustomersChanged, async (payload, _event, manager) => {
    await applyPartnerCustomers(manager, payload);
  });
  await runtime.bus.consumeTyped(Topics.AccountCreated, (payload, _event, manager) =>
    standing.onAccountCreated(manager, payload),
  );
  // Subscribers hear of a change once it is committed and in the outbox: whichever replica
  // relays it publishes it, and the PubSub carries it to subscribers on every replica.
  await runtime.bus.consumeTyped(Topics.StageChanged, async (payload) =>
    publishStageChange(services.live, payload),
  );

  const { schema } = await buildEnforcementSchema(services);
  runtime.bus.start();
  // A demo account listed since the last start: its servers' next stages were planned in real time.
  await scheduler.dueNow(config.demoEnforcement.accountIds);
  scheduler.start();
  const handle = await startSubgraphServer({
    name: 'enforcement',
    config,
    port: config.ports.enforcement,
    schema,
    logger,
    verifier: runtime.verifier,
    metrics: runtime.metrics,
    createContext: (principal) => createContext(services, principal),
    readiness: runtime.readiness,
    audit: runtime.audit,
    onClose: async () => {
      await scheduler.stop();
      await runtime.close();
    },
  });
  return { ...handle, services, scheduler: scheduler, database: runtime.db };
}
