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
import { median } from '../stats.js';
import { type Figure, type Scenario, type ScenarioContext, type ScenarioResult } from '../types.js';
import { BENCH_PERIOD_START, generateMonth } from './usage-report-data.js';
import { type ReportMeasurement, measureReport } from './usage-report-measure.js';

const run = promisify(execFile);
const MB = 1024 * 1024;
const TARGET_MS = 5000;
const TARGET_MB = 256;
const USERS_PER_MILLION = 10_000;
/** Reports per size, alternating between the sizes; the figures are their medians. */
const REPETITIONS = 3;

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
    'MariaDB, each month its own account in the one table. Both months are generated first; then the reports ' +
    `alternate between them, ${REPETITIONS} each, every one in a fresh child process (time is the report call, memory ` +
    'the process RSS and heap sampled every 5 ms during it), and the figures are the medians. Quick mode uses ' +
    '20,000 and 40,000 sessions.',
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
  const months: Array<{ size: Size; accountId: string }> = [];
  const runs = new Map<string, ReportMeasurement[]>();
  try {
    // Every month is generated first (each its own account), then the reports alternate between
    // them: a host whose speed drifts while the scenario runs then slows both sizes alike, and
    // the growth ratio compares medians measured side by side.
    for (const table of ['usage_session', 'usage_user', 'usage_user_period'])
      await db.dataSource.query(`TRUNCATE TABLE ${table}`);
    for (const [index, size] of sizes.entries()) {
      const share = 0.8 / sizes.length;
      context.progress(`generating ${size.label} sessions`, index * share);
      const started = performance.now();
      const month = await generateMonth(db.dataSource, {
        users: size.users,
        sessionsPerUser: Math.round(size.sessions / size.users),
        seed: 42 + index,
        onProgress: (f) => context.progress(`generating ${size.label} sessions`, (index + f) * share),
      });
      const generatedMs = performance.now() - started;
      months.push({ size, accountId: month.accountId });
      notes.push(
        `${size.label}: ${month.sessions.toLocaleString('en')} sessions of ${month.users.toLocaleString('en')} users generated in ${(generatedMs / 1000).toFixed(1)} s`,
      );
    }
    await db.dataSource.query('ANALYZE TABLE usage_session');
    for (let repetition = 0; repetition < REPETITIONS; repetition += 1) {
      for (const { size, accountId } of months) {
        context.progress(
          `report over ${size.label} sessions (${repetition + 1}/${REPETITIONS})`,
          0.8 + (0.2 * repetition) / REPETITIONS,
        );
        const m = await measureInChild(config, accountId);
        runs.set(size.label, [...(runs.get(size.label) ?? []), m]);
      }
    }
    const medians = months.map(({ size }) => {
      const all = runs.get(size.label) ?? [];
      const ms = median(all.map((m) => m.ms));
      const peakRssBytes = median(all.map((m) => m.peakRssBytes));
      const peakHeapBytes = median(all.map((m) => m.peakHeapBytes));
      const last = all.at(-1)!;
      const agents = last.lines.find((l) => l.category === 'AGENT');
      notes.push(
        `${size.label}: report in ${all.map((m) => m.ms.toFixed(0)).join(', ')} ms (median ${ms.toFixed(0)}); ` +
          `RSS ${(last.rssBeforeBytes / MB).toFixed(0)} → peak ${all.map((m) => (m.peakRssBytes / MB).toFixed(0)).join(', ')} MB, ` +
          `heap ${(last.heapBeforeBytes / MB).toFixed(0)} → peak ${all.map((m) => (m.peakHeapBytes / MB).toFixed(0)).join(', ')} MB; ` +
          `AGENT named ${agents?.namedUsers}, peak ${agents?.peakConcurrent}, billable ${agents?.billableConcurrent}, ${agents?.activeHours.toFixed(0)} h`,
      );
      return { size, ms, peakRssBytes, peakHeapBytes };
    });
    for (const [index, { size, ms, peakRssBytes, peakHeapBytes }] of medians.entries()) {
      const atTarget = !context.quick && index === 0;
      figures.push(
        {
          name: `report time, ${size.label} sessions`,
          value: Math.round(ms),
          unit: 'ms',
          ...(atTarget ? { target: `< ${TARGET_MS} ms`, met: ms < TARGET_MS } : {}),
        },
        {
          name: `report peak RSS, ${size.label} sessions`,
          value: Math.round(peakRssBytes / MB),
          unit: 'MB',
          ...(atTarget ? { target: `< ${TARGET_MB} MB`, met: peakRssBytes < TARGET_MB * MB } : {}),
        },
        {
          name: `report peak heap, ${size.label} sessions`,
          value: Math.round(peakHeapBytes / MB),
          unit: 'MB',
        },
      );
    }
    const [small, large] = medians;
    if (small && large) {
      const timeRatio = large.ms / small.ms;
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
          value: Number((large.peakRssBytes / small.peakRssBytes).toFixed(2)),
          unit: '×',
          target: `≤ ${sizeRatio}× (memory does not grow with the month)`,
          met: large.peakRssBytes / small.peakRssBytes <= sizeRatio,
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
    const reports = new UsageReportService(db.dataSource, new UsageDeriver(db), clock, {
      billableConcurrentMinutes: 30,
    });
    return await measureReport(() => reports.report(accountId, new Date(BENCH_PERIOD_START), 'NAMED'));
  } finally {
    await db.close();
  }
}
