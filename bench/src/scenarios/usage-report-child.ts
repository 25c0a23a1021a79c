import 'reflect-metadata';
import { ManualClock, loadConfig, openDatabase } from '@lic/shared';
import { UsageDeriver, UsageReportService, entities, migrations } from '@lic/billing';
import { EVENT_ENTITIES, EVENT_MIGRATIONS } from '@lic/shared';
import { measureReport } from './usage-report-measure.js';

/**
 * Runs one monthly report in a fresh process, so its memory figures are the report's own (plus
 * Node and the database driver), and prints them as one JSON line. Arguments: accountId,
 * periodStart (ms). The database comes from DATABASE_URL and DATABASE_PREFIX.
 */
async function main(): Promise<void> {
  const [accountId, periodStart] = process.argv.slice(2);
  if (!accountId || !periodStart) throw new Error('usage: usage-report-child <accountId> <periodStartMs>');
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
  const db = await openDatabase({
    config,
    name: 'billing',
    entities: [...EVENT_ENTITIES, ...entities],
    migrations: [...EVENT_MIGRATIONS, ...migrations],
  });
  try {
    const clock = new ManualClock(new Date(Number(periodStart) + 40 * 86_400_000));
    const reports = new UsageReportService(db.dataSource, new UsageDeriver(db), clock, {
      billableConcurrentMinutes: config.billableConcurrentMinutes,
    });
    const result = await measureReport(() =>
      reports.report(accountId, new Date(Number(periodStart)), 'NAMED'),
    );
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
