import {
  HOUR_MS,
  type Config,
  type RuntimeOverrides,
  type SubgraphHandle,
  partnerCustomersOf,
  createRuntime,
} from '@lic/shared';
import { BillingAccountService } from './account/billing-account.service.js';
import { createContext, type Services } from './context.js';
import { entities } from './entities.js';
import { eventHandlers } from './events.js';
import { UploadOverdueAlerts } from './usage-file/upload-alerts.js';
import { UploadScheduler } from './usage-file/upload-scheduler.js';
import { resolveUsageFileKey } from './usage-file/usage-file-key.js';
import { UsageFileService } from './usage-file/usage-file.service.js';
import { migrations } from './migrations/index.js';
import { UsageReportService } from './report/usage-report.service.js';
import { buildBillingSchema } from './schema.js';
import { TrackingService } from './tracking/tracking.service.js';
import { UsageDeriver } from './usage/usage-deriver.js';
import { CURRENT_CATEGORY_MAPPING } from './rules/categories.js';
import { UsageIngest } from './usage/usage-ingest.service.js';
import { UsageSessionService } from './usage/usage-session.service.js';

export interface BillingServerHandle extends SubgraphHandle {
  services: Services;
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
  const database = runtime.db;
  const { dataSource } = database;
  const clock = runtime.clock;
  const tracking = new TrackingService(dataSource);
  const ingest = new UsageIngest(clock);
  const deriver = new UsageDeriver(
    database,
    runtime.logger,
    CURRENT_CATEGORY_MAPPING,
    config.usageDeriveDelayMs,
  );
  const files = new UsageFileService(
    database,
    tracking,
    deriver,
    ingest,
    clock,
    keyHex,
    config.eventFutureToleranceSeconds,
  );
  const services: Services = {
    pageBounds: config.pagination,
    clock,
    accounts: new BillingAccountService(database, clock),
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
  await bus.consumeAll(eventHandlers(services));

  const { schema } = await buildBillingSchema(services);
  const overdue = new UploadOverdueAlerts(database, files, clock, runtime.logger);
  const scheduler = new UploadScheduler(files, clock, runtime.logger, HOUR_MS, overdue);
  bus.start();
  await deriver.markOtherVersions();
  deriver.start(config.outboxPollMs);
  if (options.uploadSchedule !== false) scheduler.start();
  const handle = await runtime.serve({
    port: config.ports.billing,
    schema,
    createContext: (principal) => createContext(services, principal),
    stop: async () => {
      await scheduler.stop();
      await deriver.stop();
    },
  });
  return { ...handle, services, scheduler, database: runtime.db };
}
