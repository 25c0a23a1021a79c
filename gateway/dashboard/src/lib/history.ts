/**
 * The last hour of "concurrent in use vs allowed", one snapshot per statistics update. The API has
 * no history of its own, so the dashboard keeps what it saw (and stores it, so a wall display that
 * reloads keeps its hour).
 */
export interface StatisticSnapshot {
  key: string;
  concurrentInUse: number;
  /** Null when the pool is uncapped (a subscription without an account cap) */
  concurrentAllowed: number | null;
}

export interface HistoryPoint {
  /** Epoch milliseconds */
  t: number;
  /** key -> [in use, allowed (null: uncapped)] */
  values: Record<string, [number, number | null]>;
}

export const HISTORY_WINDOW_MS = 60 * 60 * 1000;
const MAX_POINTS = 5000;

/** All concurrent licences of the server together. */
export const ALL_KEYS = '*';

export function snapshotValues(rows: readonly StatisticSnapshot[]): Record<string, [number, number | null]> {
  return Object.fromEntries(rows.map((r) => [r.key, [r.concurrentInUse, r.concurrentAllowed]]));
}

/** Adds a point and forgets what is older than the window (points stay in time order). */
export function appendPoint(
  history: readonly HistoryPoint[],
  point: HistoryPoint,
  windowMs = HISTORY_WINDOW_MS,
): HistoryPoint[] {
  const from = point.t - windowMs;
  const kept = history.filter((p) => p.t >= from && p.t <= point.t);
  kept.push(point);
  return kept.length > MAX_POINTS ? kept.slice(kept.length - MAX_POINTS) : kept;
}

function valueAt(point: HistoryPoint, key: string): [number, number | null] | undefined {
  if (key !== ALL_KEYS) return point.values[key];
  let inUse = 0;
  let allowed: number | null = 0;
  for (const [u, a] of Object.values(point.values)) {
    inUse += u;
    // One uncapped pool makes the total uncapped.
    allowed = allowed === null || a === null ? null : allowed + a;
  }
  return [inUse, allowed];
}

/**
 * Columns for a step chart of one key over [now - window, now]: x in seconds, in use, allowed.
 * The last value is carried to `now` so that the line reaches the right edge.
 */
export function chartColumns(
  history: readonly HistoryPoint[],
  key: string,
  now: number,
  windowMs = HISTORY_WINDOW_MS,
): [number[], Array<number | null>, Array<number | null>] {
  const xs: number[] = [];
  const inUse: Array<number | null> = [];
  const allowed: Array<number | null> = [];
  for (const point of history) {
    if (point.t < now - windowMs || point.t > now) continue;
    const value = valueAt(point, key);
    xs.push(point.t / 1000);
    inUse.push(value ? value[0] : null);
    allowed.push(value ? value[1] : null);
  }
  if (xs.length > 0 && xs[xs.length - 1]! < now / 1000) {
    xs.push(now / 1000);
    inUse.push(inUse[inUse.length - 1]!);
    allowed.push(allowed[allowed.length - 1]!);
  }
  return [xs, inUse, allowed];
}

/**
 * The licence a chart shows first: the largest concurrent pool, an uncapped one counting as the
 * largest (then most in use, then by name); all licences together when none is concurrent.
 */
export function defaultChartKey(rows: readonly StatisticSnapshot[]): string {
  const size = (r: StatisticSnapshot) =>
    r.concurrentAllowed === null ? Number.POSITIVE_INFINITY : r.concurrentAllowed;
  const ranked = rows
    .filter((r) => size(r) > 0 || r.concurrentInUse > 0)
    .sort((a, b) => size(b) - size(a) || b.concurrentInUse - a.concurrentInUse || a.key.localeCompare(b.key));
  return ranked[0]?.key ?? ALL_KEYS;
}

/** Parses stored history defensively: a corrupt or foreign value yields an empty history. */
export function parseStoredHistory(
  raw: string | null,
  now: number,
  windowMs = HISTORY_WINDOW_MS,
): HistoryPoint[] {
  if (!raw) return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (p): p is HistoryPoint =>
        typeof p === 'object' &&
        p !== null &&
        typeof (p as HistoryPoint).t === 'number' &&
        (p as HistoryPoint).t >= now - windowMs &&
        (p as HistoryPoint).t <= now &&
        typeof (p as HistoryPoint).values === 'object',
    );
  } catch {
    return [];
  }
}
