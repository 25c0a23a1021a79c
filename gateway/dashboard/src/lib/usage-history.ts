/**
 * Licence usage history as the platform keeps it (licenseUsageHistory): which range each chart
 * asks for, and the columns and figures drawn from the answer. The platform's clock decides what
 * "now" is (the live updates carry it), so a viewer whose clock is off still sees the last hour.
 */
export type HistoryRange = 'hour' | 'day' | 'month' | 'period';
export type HistoryResolution = 'MINUTE' | 'HOUR' | 'DAY';

export const HISTORY_RANGES: ReadonlyArray<{ range: HistoryRange; label: string }> = [
  { range: 'hour', label: 'Last hour' },
  { range: 'day', label: 'Last day' },
  { range: 'month', label: 'Last 30 days' },
  { range: 'period', label: 'Billing period' },
];

export interface UsagePoint {
  /** ISO start of the bucket */
  at: string;
  inUse: number;
  peak: number;
  denials: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface HistoryRequest {
  from: string;
  to: string;
  resolution: HistoryResolution;
}

/**
 * The request of a range ending at `now` (epoch ms, rounded down to the minute so the request
 * stays the same within a minute): minutes for the hour and the day (1,440 points, within the
 * 1,500 a call answers), hours for 30 days and the billing period (which starts `periodStart`).
 */
export function historyRequest(range: HistoryRange, now: number, periodStart?: string): HistoryRequest {
  const end = Math.floor(now / MINUTE) * MINUTE + MINUTE;
  const span: Record<Exclude<HistoryRange, 'period'>, [number, HistoryResolution]> = {
    hour: [HOUR, 'MINUTE'],
    day: [DAY - MINUTE, 'MINUTE'],
    month: [30 * DAY, 'HOUR'],
  };
  if (range === 'period') {
    const start = periodStart ? Date.parse(periodStart) : end - 30 * DAY;
    return { from: new Date(start).toISOString(), to: new Date(end).toISOString(), resolution: 'HOUR' };
  }
  const [length, resolution] = span[range];
  return { from: new Date(end - length).toISOString(), to: new Date(end).toISOString(), resolution };
}

/** The step of a resolution, in ms. */
export const RESOLUTION_MS: Record<HistoryResolution, number> = { MINUTE, HOUR, DAY };

/**
 * Columns for the chart: x (epoch seconds, bucket starts), the peak of each bucket, in use at its
 * end, and the allowed (constant: today's). The live in-use, when given, extends the line to `now`.
 */
export function historyColumns(
  points: readonly UsagePoint[],
  allowed: number | null,
  live?: { at: number; inUse: number },
): [number[], Array<number | null>, Array<number | null>, Array<number | null>] {
  const xs: number[] = [];
  const peak: Array<number | null> = [];
  const inUse: Array<number | null> = [];
  const cap: Array<number | null> = [];
  for (const p of points) {
    xs.push(Date.parse(p.at) / 1000);
    peak.push(p.peak);
    inUse.push(p.inUse);
    cap.push(allowed);
  }
  if (live && (xs.length === 0 || live.at / 1000 > xs[xs.length - 1]!)) {
    xs.push(live.at / 1000);
    peak.push(live.inUse);
    inUse.push(live.inUse);
    cap.push(allowed);
  }
  return [xs, peak, inUse, cap];
}

/** The highest in use over the points (and the live in-use, which is part of the range too). */
export function historyPeak(points: readonly UsagePoint[], liveInUse?: number): number {
  return Math.max(0, liveInUse ?? 0, ...points.map((p) => p.peak));
}

export function historyDenials(points: readonly UsagePoint[]): number {
  return points.reduce((sum, p) => sum + p.denials, 0);
}

/** Whether a range is long enough that the chart's axis shows dates rather than times of day. */
export function showsDates(range: HistoryRange): boolean {
  return range === 'month' || range === 'period';
}

/** In use now as the history counts it: the concurrent pool when the licence has one, else the assignable. */
export function liveInUse(row: {
  concurrentAllowed: number | null;
  concurrentConfigured: number;
  concurrentInUse: number;
  assignableInUse?: number;
}): number {
  const concurrent =
    row.concurrentAllowed === null ||
    row.concurrentAllowed > 0 ||
    row.concurrentConfigured > 0 ||
    row.concurrentInUse > 0;
  return concurrent ? row.concurrentInUse : (row.assignableInUse ?? 0);
}

/**
 * The licence the chart shows first: the largest concurrent pool, an uncapped one counting as the
 * largest (then most in use, then by name); the first licence when none is concurrent.
 */
export function defaultChartKey(
  rows: ReadonlyArray<{ key: string; concurrentInUse: number; concurrentAllowed: number | null }>,
): string | undefined {
  const size = (r: (typeof rows)[number]) =>
    r.concurrentAllowed === null ? Number.POSITIVE_INFINITY : r.concurrentAllowed;
  const ranked = rows
    .filter((r) => size(r) > 0 || r.concurrentInUse > 0)
    .sort((a, b) => size(b) - size(a) || b.concurrentInUse - a.concurrentInUse || a.key.localeCompare(b.key));
  return ranked[0]?.key ?? rows[0]?.key;
}
