import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createConnection, createPool, type Pool, type ResultSetHeader } from 'mysql2/promise';
import { mariadbConnectionOptions } from '@lic/shared';
import { median, percentile } from '../stats.js';
import { BENCH_DATABASE_URL } from './gateway-platform.js';
import { type Figure, type Scenario, type ScenarioContext, type ScenarioResult } from '../types.js';

/**
 * The ceiling a logon+logoff cycle on one licence pool cannot beat: a conditional increment and its
 * decrement on one row under 50 connections. The runner divides the logon-cycle figure by it.
 */
export const DB_FLOOR_PAIRS_FIGURE = 'increment+decrement pairs, 1 row, 50 connections';

const INCREMENT = 'UPDATE pool SET in_use = in_use + 1 WHERE id = ? AND in_use < total';
const DECREMENT = 'UPDATE pool SET in_use = in_use - 1 WHERE id = ? AND in_use > 0';
const CONNECTIONS = 50;
const ROWS = 50;
const CAP_ROW = 1000;
const CAP_TOTAL = 10;
/** Large enough that the throughput runs are never refused: they measure the statement, not the cap. */
const UNBOUNDED = 1_000_000_000;

interface Shape {
  label: string;
  connections: number;
  rows: number;
}

const SHAPES = {
  single: { label: '1 row, 1 connection', connections: 1, rows: 1 },
  hot: { label: '1 row, 50 connections', connections: CONNECTIONS, rows: 1 },
  spread: { label: '50 rows, 50 connections', connections: CONNECTIONS, rows: ROWS },
} satisfies Record<string, Shape>;

interface Timing {
  warmupMs: number;
  runMs: number;
  repetitions: number;
}

interface LoadRun {
  /** Statements that completed (granted and refused increments, decrements). */
  statements: number;
  /** Increments granted and given back. */
  pairs: number;
  refused: number;
  elapsedMs: number;
  latenciesMs: number[];
}

interface ShapeFigures {
  opsPerSecond: number;
  pairsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  runs: number[];
}

/** Scenario 6: how many conditional pool updates MariaDB itself allows on this machine. */
export const dbFloorScenario: Scenario = {
  name: 'db-floor',
  description:
    'The raw database floor: `UPDATE pool SET in_use = in_use + 1 WHERE id = ? AND in_use < total` and the ' +
    'matching decrement on MariaDB through a mysql2 pool of 50 connections, on one row and spread over 50 rows ' +
    '(plus one connection as the baseline), in a scratch database. Medians of several timed repetitions after ' +
    'a warm-up; p99 is per statement. It is the ceiling the logon-cycle figure is read against.',
  run: runDbFloor,
};

async function runDbFloor(context: ScenarioContext): Promise<ScenarioResult> {
  const timing: Timing = context.quick
    ? { warmupMs: 300, runMs: 1000, repetitions: 2 }
    : { warmupMs: 2000, runMs: 5000, repetitions: 5 };
  const plannedMs =
    Object.keys(SHAPES).length * (timing.warmupMs + timing.repetitions * timing.runMs) + timing.runMs;
  let doneMs = 0;
  const step = (message: string, ms: number) => {
    context.progress(message, Math.min(1, doneMs / plannedMs));
    doneMs += ms;
  };

  // The same connection as the services under test (the Unix socket when MariaDB is local).
  const server = mariadbConnectionOptions(BENCH_DATABASE_URL);
  const database = `licbench_floor_${randomBytes(4).toString('hex')}`;
  const admin = await createConnection(server);
  let pool: Pool | undefined;
  try {
    await admin.query(`CREATE DATABASE \`${database}\``);
    await admin.query(
      `CREATE TABLE \`${database}\`.pool (id INT PRIMARY KEY, in_use INT NOT NULL, total INT NOT NULL) ENGINE=InnoDB`,
    );
    const rows = Array.from({ length: ROWS }, (_, i) => [i + 1, 0, UNBOUNDED]);
    rows.push([CAP_ROW, 0, CAP_TOTAL]);
    await admin.query(`INSERT INTO \`${database}\`.pool (id, in_use, total) VALUES ?`, [rows]);
    const settings = await serverSettings(admin);

    pool = createPool({ ...server, database, connectionLimit: CONNECTIONS, waitForConnections: true });
    const { shapes: measured, ratios } = await measureShapes(pool, timing, step);

    step(`cap check: total ${CAP_TOTAL}, ${CONNECTIONS} connections`, timing.runMs);
    const cap = await capCheck(pool, admin, database, timing.runMs);
    context.progress('done', 1);

    const figures: Figure[] = [];
    for (const key of SHAPE_KEYS) {
      const m = measured[key];
      const label = SHAPES[key].label;
      figures.push(
        { name: `conditional updates, ${label}`, value: m.opsPerSecond, unit: 'statements/s' },
        { name: `statement latency p99, ${label}`, value: m.p99Ms, unit: 'ms' },
      );
    }
    figures.push(
      { name: DB_FLOOR_PAIRS_FIGURE, value: measured.hot.pairsPerSecond, unit: 'pairs/s' },
      {
        name: '1 row, 50 connections vs 1 connection',
        value: ratios.hotVsSingle,
        unit: '×',
      },
      {
        name: '50 rows vs 1 row (50 connections)',
        value: ratios.spreadVsHot,
        unit: '×',
      },
      {
        name: `highest in_use seen, total ${CAP_TOTAL}, ${CONNECTIONS} connections`,
        value: cap.highestSeen,
        unit: 'licences',
        target: `≤ ${CAP_TOTAL}`,
        met: cap.highestSeen <= CAP_TOTAL,
      },
      {
        name: 'in_use after every increment was given back',
        value: cap.finalInUse,
        unit: 'licences',
        target: '= 0',
        met: cap.finalInUse === 0,
      },
    );

    const notes = [
      `MariaDB settings: ${settings}. Each statement commits on its own (autocommit), so the figure includes the redo-log flush.`,
      ...SHAPE_KEYS.map((key) => {
        const m = measured[key];
        return `${SHAPES[key].label}: ${m.runs.map((r) => Math.round(r)).join(', ')} statements/s over ${timing.repetitions} repetitions of ${timing.runMs / 1000} s after a ${timing.warmupMs / 1000} s warm-up; median latency ${m.p50Ms.toFixed(2)} ms.`;
      }),
      `Cap check: ${cap.granted} increments granted and ${cap.refused} refused in ${timing.runMs / 1000} s; a second connection sampled in_use ${cap.samples} times.`,
      'The shapes run round-robin (1 connection, 1 row, 50 rows, then again), so load from other work weighs on each alike; each ratio is the median of the ratios within one repetition.',
      '"Spread over 50 rows" picks a random row for each increment (its decrement goes to the same row).',
      'Orientation (measured earlier on the same machine kind): about 2,760/s on one connection, 6,200/s on one row with 50 connections, 15,000/s over 50 rows.',
    ];
    return { scenario: dbFloorScenario.name, figures, notes };
  } finally {
    await pool?.end().catch(() => undefined);
    await admin.query(`DROP DATABASE IF EXISTS \`${database}\``).catch(() => undefined);
    await admin.end().catch(() => undefined);
  }
}

type Admin = Awaited<ReturnType<typeof createConnection>>;

async function serverSettings(admin: Admin): Promise<string> {
  const [rows] = await admin.query(
    "SHOW VARIABLES WHERE Variable_name IN ('innodb_flush_log_at_trx_commit', 'log_bin', 'sync_binlog', 'innodb_buffer_pool_size')",
  );
  return (rows as Array<{ Variable_name: string; Value: string }>)
    .map((r) => `${r.Variable_name}=${r.Value}`)
    .join(', ');
}

const SHAPE_KEYS = ['single', 'hot', 'spread'] as const;
type ShapeKey = (typeof SHAPE_KEYS)[number];

/**
 * Warms every shape up, then runs the repetitions round-robin (single, hot, spread, single, …) so
 * that other work on the machine weighs on every shape alike and the ratios stay comparable.
 */
async function measureShapes(
  pool: Pool,
  timing: Timing,
  step: (message: string, ms: number) => void,
): Promise<{ shapes: Record<ShapeKey, ShapeFigures>; ratios: { hotVsSingle: number; spreadVsHot: number } }> {
  for (const key of SHAPE_KEYS) {
    step(`warm-up: ${SHAPES[key].label}`, timing.warmupMs);
    await load(pool, SHAPES[key], timing.warmupMs);
  }
  const runs: Record<ShapeKey, LoadRun[]> = { single: [], hot: [], spread: [] };
  for (let i = 0; i < timing.repetitions; i += 1) {
    for (const key of SHAPE_KEYS) {
      step(`repetition ${i + 1}/${timing.repetitions}: ${SHAPES[key].label}`, timing.runMs);
      runs[key].push(await load(pool, SHAPES[key], timing.runMs));
    }
  }
  const rate = (r: LoadRun) => (r.statements * 1000) / r.elapsedMs;
  const figures = (list: LoadRun[]): ShapeFigures => {
    const latencies = list.flatMap((r) => r.latenciesMs);
    return {
      opsPerSecond: median(list.map(rate)),
      pairsPerSecond: median(list.map((r) => (r.pairs * 1000) / r.elapsedMs)),
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      runs: list.map(rate),
    };
  };
  const perRepetition = (a: ShapeKey, b: ShapeKey) =>
    median(runs[a].map((run, i) => rate(run) / rate(runs[b][i]!)));
  return {
    shapes: { single: figures(runs.single), hot: figures(runs.hot), spread: figures(runs.spread) },
    ratios: { hotVsSingle: perRepetition('hot', 'single'), spreadVsHot: perRepetition('spread', 'hot') },
  };
}

/** `shape.connections` clients, each taking a licence and giving it back, until the time is up. */
async function load(pool: Pool, shape: Shape, durationMs: number, rowId?: number): Promise<LoadRun> {
  const run: LoadRun = { statements: 0, pairs: 0, refused: 0, elapsedMs: 0, latenciesMs: [] };
  const started = performance.now();
  const deadline = started + durationMs;
  const client = async () => {
    while (performance.now() < deadline) {
      const id = rowId ?? 1 + Math.floor(Math.random() * shape.rows);
      let t = performance.now();
      const [taken] = await pool.execute<ResultSetHeader>(INCREMENT, [id]);
      run.latenciesMs.push(performance.now() - t);
      run.statements += 1;
      if (taken.affectedRows !== 1) {
        run.refused += 1;
        continue;
      }
      t = performance.now();
      const [given] = await pool.execute<ResultSetHeader>(DECREMENT, [id]);
      run.latenciesMs.push(performance.now() - t);
      run.statements += 1;
      if (given.affectedRows !== 1)
        throw new Error(`decrement of row ${id} changed no row: the counter went astray`);
      run.pairs += 1;
    }
  };
  await Promise.all(Array.from({ length: shape.connections }, client));
  run.elapsedMs = performance.now() - started;
  return run;
}

/** 50 clients against a cap of 10 while another connection watches the counter. */
async function capCheck(
  pool: Pool,
  admin: Admin,
  database: string,
  durationMs: number,
): Promise<{ highestSeen: number; finalInUse: number; granted: number; refused: number; samples: number }> {
  const read = async () => {
    const [rows] = await admin.query(`SELECT in_use FROM \`${database}\`.pool WHERE id = ?`, [CAP_ROW]);
    return Number((rows as Array<{ in_use: number }>)[0]?.in_use ?? Number.NaN);
  };
  let highestSeen = 0;
  let samples = 0;
  let loading = true;
  const watcher = (async () => {
    while (loading) {
      highestSeen = Math.max(highestSeen, await read());
      samples += 1;
    }
  })();
  const run = await load(pool, { label: 'cap', connections: CONNECTIONS, rows: 1 }, durationMs, CAP_ROW);
  loading = false;
  await watcher;
  return { highestSeen, finalInUse: await read(), granted: run.pairs, refused: run.refused, samples };
}
