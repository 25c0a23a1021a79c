import {
  HOUR_MS,
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
import { BillingAccountService } from './account/billing-account.service.js';
import { createContext, type Services } from './context.js';
import { entities } from './entities.js';
import { UploadOverdueAlerts } from './files/upload-alerts.js';
import { UploadScheduler } from './files/upload-scheduler.js';
import { resolveUsageFileKey } from './files/usage-file-key.js';
import { UsageFileService } from './files/usage-file.service.js';
import { migrations } from './migrations/index.js';
import { UsageReportService } from './report/usage-report.service.js';
import { buildBillingSchema } from './schema.js';
import { TrackingService } from './tracking/tracking.service.js';
import { UsageDeriver } from './usage/usage-deriver.js';
import { CURRENT_CATEGORY_MAPPING } from './rules/categories.js';
import { UsageIngest } from './usage/usage-ingest.service.js';
import { UsageSessionService } from './usage/usage-session.service.js';

export interface BillingServerHandle extends ServiceHandle {
  services: Services;
  /** The subgraph's database (tests count statements through it). */
  database: Database;
  scheduler: UploadScheduler;
}

export interface BillingOptions {
  /** Run the hourly automated-upload pass (tests drive `scheduler.runOnce()` by hand instead). */
  uploadSchedule?: boolean;
}

export async function createServer(
  config: Config,
  overrides: RuntimeOverrides = {},
  options: BillingOptions = {},
): Promise<BillingServerHandle> {
  const keyHex = resolveUsageFileKey(config);
  const runtime = await createRuntime(
    'billing',
    config,
    // Several statements a query: a batch of session events is written in one round trip.
    { entities, migrations, multipleStatements: true },
    overrides,
  );
  const { dataSource } = runtime.db;
  const clock = runtime.clock;
  const tracking = new TrackingService(dataSource);
  const ingest = new UsageIngest(clock);
  const deriver = new UsageDeriver(
    dataSource,
    runtime.logger,
    CURRENT_CATEGORY_MAPPING,
    config.usageDeriveDelayMs,
  );
  const files = new UsageFileService(
    dataSource,
    tracking,
    deriver,
    ingest,
    clock,
    keyHex,
    config.eventFutureToleranceSeconds,
  );
  const services: Services = {
    pageBounds: config.pagination,
    dataSource,
    clock,
    accounts: new BillingAccountService(dataSource, clock),
    tracking,
    ingest,
    deriver,
    sessions: new UsageSessionService(dataSource, deriver, clock),
    reports: new UsageReportService(dataSource, deriver, clock, {
      billableConcurrentMinutes: config.billableConcurrentMinutes,
    }),
    files,
    partners: (partnerAccountId) => partnerCustomersOf(dataSource.manager, partnerAccountId),
  };

  const { bus } = runtime;
  await bus.consumeTyped(Topics.PartnerCustomersChanged, async (payload, _event, manager) => {
    await applyPartnerCustomers(manager, payload);
  });
  await bus.consumeTyped(Topics.AccountCreated, (payload, _event, manager) =>
    services.accounts.accountCreated(manager, payload.accountId),
  );
  await bus.consumeTyped(Topics.ServerRegistered, (payload, _event, manager) =>
    tracking.serverRegistered(manager, payload),
  );
  await bus.consumeTyped(Topics.LicenseFileLoaded, async (payload, event, manager) => {
    await tracking.licenseFileLoaded(manager, event.id, payload);
    deriver.kick();
  });
  await bus.consumeTyped(Topics.ServerStarted, (payload, event, manager) =>
    tracking.serverStarted(manager, event.id, payload),
  );
  // Logons and logoffs arrive many a second under load: applied in batches, one commit each.
  await bus.consumeTypedBatch(Topics.SessionStarted, async (items, manager) => {
    await ingest.sessionEvents(
      manager,
      'logon',
      items.map(({ payload, event }) => ({ eventId: event.id, payload })),
    );
    deriver.kick();
  });
  await bus.consumeTypedBatch(Topics.SessionEnded, async (items, manager) => {
    await ingest.sessionEvents(
      manager,
      'logoff',
      items.map(({ payload, event }) => ({ eventId: event.id, payload })),
    );
    deriver.kick();
  });

  const { schema } = await buildBillingSchema();
  const overdue = new UploadOverdueAlerts(dataSource, files, clock, runtime.bus.relay, runtime.logger);
  const scheduler = new UploadScheduler(files, clock, runtime.logger, HOUR_MS, overdue);
  bus.start();
  await deriver.markOtherVersions();
  deriver.start(config.outboxPollMs);
  if (options.uploadSchedule !== false) scheduler.start();
  const handle = await startSubgraphServer({
    name: 'billing',
    config,
    port: config.ports.billing,
    schema,
    logger: runtime.logger,
    verifier: runtime.verifier,
    metrics: runtime.metrics,
    createContext: (principal) => createContext(services, principal),
    readiness: runtime.readiness,
    audit: runtime.audit,
    onClose: async () => {
      await scheduler.stop();
      await deriver.stop();
      await runtime.close();
    },
  });
  return { ...handle, services, scheduler, database: runtime.db };
}
