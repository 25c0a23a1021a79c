import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
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
  /** The host's one-minute load average: every process's event-loop delay follows it. */
  hostLoad?: number;
}

export interface SoakSeries {
  name: string;
  unit: string;
  first: number;
  last: number;
  /** Least-squares slope, per hour. */
  slopePerHour: number;
  /** The growth per hour allowed before the line counts as rising; null: shown, not judged. */
  boundPerHour: number | null;
  ok: boolean;
  /** Why the line is not judged, when it is not. */
  unjudged?: string;
}

/**
 * Event-loop delay is a leak's symptom only on a host whose load stayed level: on a shared host
 * whose load average rose by more than this per hour, it measures the neighbours, so it is shown
 * and not judged (memory, descriptors and connections are judged whatever the host does).
 */
export const STEADY_HOST_LOAD_PER_HOUR = 2;

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

/**
 * The slope per hour by Theil-Sen (the median of the slopes between every pair of samples): one
 * odd sample (a dip while a socket reconnects, a metrics scrape that timed out) does not tilt
 * it, where a least-squares fit would.
 */
export function slopePerHour(points: Array<{ minute: number; value: number }>): number {
  const slopes: number[] = [];
  for (let i = 0; i < points.length; i += 1)
    for (let j = i + 1; j < points.length; j += 1) {
      const dx = points[j]!.minute - points[i]!.minute;
      if (dx !== 0) slopes.push((points[j]!.value - points[i]!.value) / dx);
    }
  if (slopes.length === 0) return 0;
  slopes.sort((a, b) => a - b);
  const mid = slopes.length >> 1;
  const median = slopes.length % 2 ? slopes[mid]! : (slopes[mid - 1]! + slopes[mid]!) / 2;
  return median * 60;
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
    samples.push({
      minute: (Date.now() - started) / 60_000,
      processes,
      dbConnections,
      hostLoad: loadavg()[0]!,
    });
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
  const hostLoadSlope = slopePerHour(samples.map((s) => ({ minute: s.minute, value: s.hostLoad ?? NaN })));
  const hostSteady = Math.abs(hostLoadSlope) <= STEADY_HOST_LOAD_PER_HOUR;
  const add = (
    name: string,
    unit: string,
    values: Array<{ minute: number; value: number }>,
    bound: number | null,
    unjudged?: string,
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
      boundPerHour: unjudged ? null : bound,
      ok: !judged || bound === null || unjudged !== undefined || slope <= bound,
      ...(unjudged ? { unjudged } : {}),
    });
  };
  add(
    'host load average (1 min)',
    '',
    samples.map((s) => ({ minute: s.minute, value: s.hostLoad ?? NaN })),
    null,
    'the host, not the platform',
  );
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
      hostSteady
        ? undefined
        : `the host's load moved ${hostLoadSlope >= 0 ? '+' : ''}${hostLoadSlope.toFixed(1)}/h (more than ±${STEADY_HOST_LOAD_PER_HOUR}/h)`,
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
