import { type LicenseStatistic } from './statistic.types.js';

/** The resolutions usage history is kept at. */
export const RESOLUTIONS = ['MINUTE', 'HOUR', 'DAY'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

export const RESOLUTION_MS: Record<Resolution, number> = {
  MINUTE: 60_000,
  HOUR: 3_600_000,
  DAY: 86_400_000,
};

/** The most points one licenseUsageHistory call answers (a day of minutes fits, a month of hours). */
export const MAX_HISTORY_POINTS = 1500;

/** The start of the bucket (UTC) holding `at`. */
export const bucketOf = (at: number, resolution: Resolution): number =>
  at - (((at % RESOLUTION_MS[resolution]) + RESOLUTION_MS[resolution]) % RESOLUTION_MS[resolution]);

/**
 * The in-use figure history keeps for a licence: of its concurrent pool when the licence has one
 * (concurrent seats are what runs out), else of its assignable pool, as its peakInUse.
 */
export function historyInUse(s: Omit<LicenseStatistic, 'peakAt'>): number {
  const hasConcurrent =
    s.concurrentLicensed > 0 ||
    s.concurrentConfigured > 0 ||
    s.concurrentInUse > 0 ||
    s.concurrentAllowed === null ||
    s.concurrentAllowed > 0;
  return hasConcurrent ? s.concurrentInUse : s.assignableInUse;
}

/** One bucket's state as this process saw it. */
export interface HistoryCell {
  serverId: string;
  key: string;
  resolution: Resolution;
  bucketAt: number;
  /** The in-use of the newest read (highest statistics version) seen in the bucket. */
  inUse: number;
  version: number;
  peak: number;
}

export interface HistorySample {
  serverId: string;
  /** The statistics version the sample was read at: grows with every committed change. */
  version: number;
  at: number;
  statistics: ReadonlyArray<Omit<LicenseStatistic, 'peakAt'> & { peakAt: string | Date | null }>;
}

/**
 * Folds statistics samples (the statistics publisher's coalesced reads after changes) into
 * per-minute, per-hour and per-day cells in memory: a burst of logons costs no write at all;
 * `drain()` hands over what changed since the last drain, for one statement.
 *
 * A peak the coalescing skipped over (two logons and a logoff within one read) is still caught:
 * a pool's own peak (peakInUse, peakAt) counts towards the bucket its peakAt falls in.
 */
export class HistoryFold {
  private readonly cells = new Map<string, HistoryCell>();

  observe(sample: HistorySample): void {
    for (const s of sample.statistics) {
      const inUse = historyInUse(s);
      const peakAt = s.peakAt === null ? null : new Date(s.peakAt).getTime();
      for (const resolution of RESOLUTIONS) {
        const bucketAt = bucketOf(sample.at, resolution);
        const poolPeak =
          peakAt !== null && bucketOf(peakAt, resolution) === bucketAt && peakAt <= sample.at
            ? s.peakInUse
            : 0;
        this.merge({
          serverId: sample.serverId,
          key: s.key,
          resolution,
          bucketAt,
          inUse,
          version: sample.version,
          peak: Math.max(inUse, poolPeak),
        });
      }
    }
  }

  private merge(cell: HistoryCell): void {
    const id = `${cell.serverId}\u0000${cell.key}\u0000${cell.resolution}\u0000${cell.bucketAt}`;
    const seen = this.cells.get(id);
    if (!seen) {
      this.cells.set(id, cell);
      return;
    }
    if (cell.version >= seen.version) {
      seen.inUse = cell.inUse;
      seen.version = cell.version;
    }
    seen.peak = Math.max(seen.peak, cell.peak);
  }

  get size(): number {
    return this.cells.size;
  }

  /** What was folded since the last drain (then forgotten: the database merges it with the rest). */
  drain(): HistoryCell[] {
    const cells = [...this.cells.values()];
    this.cells.clear();
    return cells;
  }

  /** Puts cells back after a failed write (merged with anything folded since). */
  restore(cells: readonly HistoryCell[]): void {
    for (const cell of cells) this.merge({ ...cell });
  }
}

/** One point of a licence's history as the query answers it. */
export interface HistoryPoint {
  at: Date;
  inUse: number;
  peak: number;
  denials: number;
}

export interface StoredBucket {
  bucketAt: number;
  inUse: number;
  peak: number;
}

/**
 * The points of [from, to): one per bucket from the first known one (or `from`, when a bucket
 * before it is known) up to the last bucket that has begun by `now`. A bucket without a stored
 * row had no change: its in-use and peak are the last known in-use (carried forward).
 */
export function historyPoints(input: {
  from: number;
  to: number;
  now: number;
  resolution: Resolution;
  before: StoredBucket | undefined;
  buckets: readonly StoredBucket[];
  denials: ReadonlyMap<number, number>;
}): HistoryPoint[] {
  const step = RESOLUTION_MS[input.resolution];
  const byBucket = new Map(input.buckets.map((b) => [b.bucketAt, b]));
  const end = Math.min(input.to, input.now + 1);
  const points: HistoryPoint[] = [];
  let carried: number | undefined = input.before?.inUse;
  for (let at = bucketOf(input.from, input.resolution); at < end; at += step) {
    const stored = byBucket.get(at);
    const denials = input.denials.get(at) ?? 0;
    if (stored) {
      // The bucket began at the in-use the previous one ended with: that counts towards its peak.
      const peak = Math.max(stored.peak, stored.inUse, carried ?? 0);
      points.push({ at: new Date(at), inUse: stored.inUse, peak, denials });
      carried = stored.inUse;
    } else if (carried !== undefined) {
      points.push({ at: new Date(at), inUse: carried, peak: carried, denials });
    } else if (denials > 0) {
      points.push({ at: new Date(at), inUse: 0, peak: 0, denials });
    }
  }
  return points;
}
