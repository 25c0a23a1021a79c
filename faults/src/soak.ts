import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { type OwnedServer, sleep } from './infra.js';
import { type Load } from './load.js';
import { type Platform, SERVICES } from './platform.js';
import { type Work } from './work.js';

export interface SoakSample {
  /** Minutes since the soak began. */
  minute: number;
  processes: Record<
    string,
    { rssMb: number; fds: number; heapMb: number | null; eventLoopP99Ms: number | null }
  >;
  dbConnections: number | null;
}

export interface SoakSeries {
  name: string;
  unit: string;
  first: number;
  last: number;
  /** Least-squares slope, per hour. */
  slopePerHour: number;
  /** The growth per hour allowed before the line counts as rising. */
  boundPerHour: number;
  ok: boolean;
}

/** Slopes of a shorter soak are shown but not judged: a fd or two over minutes says nothing. */
export const JUDGED_SOAK_MS = 30 * 60_000;

export interface SoakResult {
  durationMs: number;
  /** Whether the soak was long enough (JUDGED_SOAK_MS) for its slopes to pass or fail it. */
  judged: boolean;
  samples: SoakSample[];
  series: SoakSeries[];
  requests: { total: number; ok: number; failed: number; noAnswer: number };
  ok: boolean;
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 'NaN') / 1024;
}

function fds(pid: number): number {
  return existsSync(`/proc/${pid}/fd`) ? readdirSync(`/proc/${pid}/fd`).length : NaN;
}

/** Heap used and event-loop delay (p99) from a process's /metrics, where it serves them. */
async function fromMetrics(
  baseUrl: string,
  token: string,
): Promise<{ heapMb: number | null; eventLoopP99Ms: number | null }> {
  try {
    const res = await fetch(`${baseUrl}/metrics`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(3000),
    });
    if (!res.ok) return { heapMb: null, eventLoopP99Ms: null };
    const text = await res.text();
    const value = (name: string) => {
      const match = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.eE+-]+)$`, 'm').exec(text);
      return match ? Number(match[1]) : null;
    };
    const heap = value('nodejs_heap_size_used_bytes');
    const lag = value('nodejs_eventloop_lag_p99_seconds');
    return {
      heapMb: heap === null ? null : heap / 2 ** 20,
      eventLoopP99Ms: lag === null ? null : lag * 1000,
    };
  } catch {
    return { heapMb: null, eventLoopP99Ms: null };
  }
}

export function slopePerHour(points: Array<{ minute: number; value: number }>): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, p) => s + p.minute, 0) / n;
  const my = points.reduce((s, p) => s + p.value, 0) / n;
  const num = points.reduce((s, p) => s + (p.minute - mx) * (p.value - my), 0);
  const den = points.reduce((s, p) => s + (p.minute - mx) ** 2, 0);
  return den === 0 ? 0 : (num / den) * 60;
}

/** The same load for `durationMs`, sampled each minute (the first sample after a minute's warm-up). */
export async function runSoak(options: {
  platform: Platform;
  redis: OwnedServer;
  mariadb: OwnedServer & { threadsConnected(): Promise<number> };
  load: Load;
  work: Work;
  durationMs: number;
  progress(message: string): void;
  sampleEveryMs?: number;
}): Promise<SoakResult> {
  const { platform, load, mariadb, progress } = options;
  const every = options.sampleEveryMs ?? 60_000;
  const started = Date.now();
  const firstOutcome = load.outcomes.length;
  load.start();
  options.work.start();
  const samples: SoakSample[] = [];
  const sample = async () => {
    const processes: SoakSample['processes'] = {};
    for (const name of SERVICES) {
      const service = platform.services.get(name)!;
      const pid = service.pid;
      if (pid === undefined) continue;
      processes[name] = {
        rssMb: rssMb(pid),
        fds: fds(pid),
        ...(await fromMetrics(service.baseUrl, platform.metricsToken)),
      };
    }
    const dbConnections = await mariadb.threadsConnected().catch(() => null);
    samples.push({ minute: (Date.now() - started) / 60_000, processes, dbConnections });
  };
  await sleep(Math.min(every, options.durationMs / 4));
  while (Date.now() - started < options.durationMs) {
    await sample();
    progress(
      `soak: ${Math.round((Date.now() - started) / 60_000)} of ${Math.round(options.durationMs / 60_000)} min`,
    );
    await sleep(Math.max(0, Math.min(every, options.durationMs - (Date.now() - started))));
  }
  await sample();
  await Promise.all([load.stop(), options.work.stop()]);
  const outcomes = load.outcomes.slice(firstOutcome);
  const series: SoakSeries[] = [];
  const judged = options.durationMs >= JUDGED_SOAK_MS;
  const add = (
    name: string,
    unit: string,
    values: Array<{ minute: number; value: number }>,
    bound: number,
  ) => {
    const clean = values.filter((v) => Number.isFinite(v.value));
    if (clean.length < 2) return;
    const slope = slopePerHour(clean);
    series.push({
      name,
      unit,
      first: clean[0]!.value,
      last: clean.at(-1)!.value,
      slopePerHour: slope,
      boundPerHour: bound,
      ok: !judged || slope <= bound,
    });
  };
  for (const name of SERVICES) {
    const of = (pick: (p: SoakSample['processes'][string]) => number | null) =>
      samples.map((s) => ({
        minute: s.minute,
        value: s.processes[name] ? (pick(s.processes[name]!) ?? NaN) : NaN,
      }));
    add(
      `${name} RSS`,
      'MB',
      of((p) => p.rssMb),
      32,
    );
    add(
      `${name} heap used`,
      'MB',
      of((p) => p.heapMb),
      16,
    );
    add(
      `${name} open fds`,
      'fds',
      of((p) => p.fds),
      10,
    );
    add(
      `${name} event-loop delay p99`,
      'ms',
      of((p) => p.eventLoopP99Ms),
      20,
    );
  }
  add(
    'MariaDB connections',
    'connections',
    samples.map((s) => ({ minute: s.minute, value: s.dbConnections ?? NaN })),
    5,
  );
  return {
    durationMs: Date.now() - started,
    judged,
    samples,
    series,
    requests: {
      total: outcomes.length,
      ok: outcomes.filter((o) => o.told === 'ok').length,
      failed: outcomes.filter((o) => o.told === 'failed').length,
      noAnswer: outcomes.filter((o) => o.told === 'no answer').length,
    },
    ok: series.every((s) => s.ok),
  };
}
