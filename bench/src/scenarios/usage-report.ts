import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import {
  EVENT_ENTITIES,
  EVENT_MIGRATIONS,
  ManualClock,
  type Config,
  dropMariadbDatabases,
  loadConfig,
  openDatabase,
} from '@lic/shared';
import { BENCH_DATABASE_URL } from './gateway-platform.js';
import { UsageDeriver, UsageReportService, entities, migrations } from '@lic/billing';
import { type Figure, type Scenario, type ScenarioContext, type ScenarioResult } from '../types.js';
import { BENCH_PERIOD_START, generateMonth } from './usage-report-data.js';
import { type ReportMeasurement, measureReport } from './usage-report-measure.js';

const run = promisify(execFile);
const MB = 1024 * 1024;
const TARGET_MS = 5000;
const TARGET_MB = 256;
const USERS_PER_MILLION = 10_000;

/**
 * Scenario 4: the monthly usage report over a month of 1,000,000 and 2,000,000 sessions on
 * MariaDB. The month is written straight into billing's `usage_session` table with bulk
 * multi-row INSERTs (what the deriver would have written), then the report runs in a child
 * process (`usage-report-child.js`) so that its time and memory are measured alone.
 */
export const usageReportScenario: Scenario = {
  name: 'usage-report',
  description:
    'The monthly usage report (named users, peak and billable concurrent users, active hours per category) of one ' +
    'account over a month of 1,000,000 sessions of 10,000 users, then 2,000,000 sessions of 20,000 users, on ' +
    'MariaDB. Each report runs in a fresh child process: time is the report call, memory the process RSS and heap ' +
    'sampled every 5 ms during it. Quick mode uses 20,000 and 40,000 sessions.',
  run: runUsageReport,
};

interface Size {
  sessions: number;
  users: number;
  label: string;
}

async function runUsageReport(context: ScenarioContext): Promise<ScenarioResult> {
  const sizes: Size[] = context.quick
    ? [
        { sessions: 20_000, users: 200, label: '20k' },
        { sessions: 40_000, users: 400, label: '40k' },
      ]
    : [
        { sessions: 1_000_000, users: USERS_PER_MILLION, label: '1M' },
        { sessions: 2_000_000, users: 2 * USERS_PER_MILLION, label: '2M' },
      ];
  const prefix = `licbench_${randomBytes(4).toString('hex')}`;
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: BENCH_DATABASE_URL,
    DATABASE_PREFIX: prefix,
  });
  const db = await openDatabase({
    config,
    name: 'billing',
    entities: [...EVENT_ENTITIES, ...entities],
    migrations: [...EVENT_MIGRATIONS, ...migrations],
  });
  const figures: Figure[] = [];
  const notes: string[] = [];
  const measured: Array<{ size: Size; m: ReportMeasurement }> = [];
  try {
    for (const [index, size] of sizes.entries()) {
      const share = 1 / sizes.length;
      context.progress(`generating ${size.label} sessions`, index * share);
      await db.dataSource.query('TRUNCATE TABLE usage_session');
      await db.dataSource.query('TRUNCATE TABLE usage_user');
      await db.dataSource.query('TRUNCATE TABLE usage_user_period');
      const started = performance.now();
      const month = await generateMonth(db.dataSource, {
        users: size.users,
        sessionsPerUser: Math.round(size.sessions / size.users),
        seed: 42 + index,
        onProgress: (f) => context.progress(`generating ${size.label} sessions`, (index + f * 0.8) * share),
      });
      await db.dataSource.query('ANALYZE TABLE usage_session');
      const generatedMs = performance.now() - started;
      notes.push(
        `${size.label}: ${month.sessions.toLocaleString('en')} sessions of ${month.users.toLocaleString('en')} users generated in ${(generatedMs / 1000).toFixed(1)} s`,
      );
      context.progress(`report over ${size.label} sessions`, (index + 0.85) * share);
      const m = await measureInChild(config, month.accountId);
      measured.push({ size, m });
      const agents = m.lines.find((l) => l.category === 'AGENT');
      notes.push(
        `${size.label}: report in ${m.ms.toFixed(0)} ms; RSS ${(m.rssBeforeBytes / MB).toFixed(0)} → peak ${(m.peakRssBytes / MB).toFixed(0)} MB, ` +
          `heap ${(m.heapBeforeBytes / MB).toFixed(0)} → peak ${(m.peakHeapBytes / MB).toFixed(0)} MB (${m.samples} samples); ` +
          `AGENT named ${agents?.namedUsers}, peak ${agents?.peakConcurrent}, billable ${agents?.billableConcurrent}, ${agents?.activeHours.toFixed(0)} h`,
      );
      const atTarget = !context.quick && index === 0;
      figures.push(
        {
          name: `report time, ${size.label} sessions`,
          value: Math.round(m.ms),
          unit: 'ms',
          ...(atTarget ? { target: `< ${TARGET_MS} ms`, met: m.ms < TARGET_MS } : {}),
        },
        {
          name: `report peak RSS, ${size.label} sessions`,
          value: Math.round(m.peakRssBytes / MB),
          unit: 'MB',
          ...(atTarget ? { target: `< ${TARGET_MB} MB`, met: m.peakRssBytes < TARGET_MB * MB } : {}),
        },
        {
          name: `report peak heap, ${size.label} sessions`,
          value: Math.round(m.peakHeapBytes / MB),
          unit: 'MB',
        },
      );
    }
    const [small, large] = measured;
    if (small && large) {
      const timeRatio = large.m.ms / small.m.ms;
      const sizeRatio = large.size.sessions / small.size.sessions;
      figures.push(
        {
          name: `time growth ${large.size.label} / ${small.size.label}`,
          value: Number(timeRatio.toFixed(2)),
          unit: '×',
          target: `≤ ${(sizeRatio * 1.25).toFixed(1)}× (linear: ${sizeRatio}×)`,
          met: timeRatio <= sizeRatio * 1.25,
        },
        {
          name: `peak RSS growth ${large.size.label} / ${small.size.label}`,
          value: Number((large.m.peakRssBytes / small.m.peakRssBytes).toFixed(2)),
          unit: '×',
          target: `≤ ${sizeRatio}× (memory does not grow with the month)`,
          met: large.m.peakRssBytes / small.m.peakRssBytes <= sizeRatio,
        },
      );
    }
    notes.push(
      "The report counts named users with one aggregate query and, beside it, sweeps the period's sessions in start " +
        'order in keyset pages of 10,000 with their ends in a heap, so its memory depends on the page size and the peak ' +
        'level, not on the size of the month.',
    );
    context.progress('done', 1);
    return { scenario: usageReportScenario.name, figures, notes };
  } finally {
    await db.close();
    await dropMariadbDatabases(BENCH_DATABASE_URL, prefix);
  }
}

/** The report in a child process when running compiled; in this process under ts (tests). */
async function measureInChild(config: Config, accountId: string): Promise<ReportMeasurement> {
  const child = join(__dirname, 'usage-report-child.js');
  if (config.database.kind !== 'mariadb') throw new Error('the usage-report benchmark runs on MariaDB');
  if (!existsSync(child)) return measureHere(config, accountId);
  const { stdout } = await run(
    process.execPath,
    ['--expose-gc', child, accountId, String(BENCH_PERIOD_START)],
    {
      env: {
        ...process.env,
        DATABASE_URL: config.database.url,
        DATABASE_PREFIX: config.database.prefix,
        NODE_ENV: 'test',
      },
      maxBuffer: 10 * MB,
    },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as ReportMeasurement;
}

async function measureHere(config: Config, accountId: string): Promise<ReportMeasurement> {
  const db = await openDatabase({
    config,
    name: 'billing',
    entities: [...EVENT_ENTITIES, ...entities],
    migrations: [...EVENT_MIGRATIONS, ...migrations],
  });
  try {
    const clock = new ManualClock(new Date(BENCH_PERIOD_START + 40 * 86_400_000));
    const reports = new UsageReportService(db.dataSource, new UsageDeriver(db.dataSource), clock, {
      billableConcurrentMinutes: 30,
    });
    return await measureReport(() => reports.report(accountId, new Date(BENCH_PERIOD_START), 'NAMED'));
  } finally {
    await db.close();
  }
}
