import { HOUR_MS, MINUTE_MS, badInput } from '@lic/shared';

/** Genesys Cloud ignores peaks shorter than this in total (SPEC §3). */
export const DEFAULT_BILLABLE_THRESHOLD_MS = 30 * MINUTE_MS;

/** `delta` users started (+) or ended (−) an active session at `at`. */
export interface LevelChange {
  readonly at: Date | number;
  readonly delta: number;
}

export interface ConcurrencyOptions {
  readonly periodStart: Date | number;
  /** Exclusive. Changes outside [periodStart, periodEnd] are clipped to it. */
  readonly periodEnd: Date | number;
  readonly thresholdMs?: number;
}

export interface ConcurrencyResult {
  /** Most users active at one instant (an instant that lasted: zero-length overlaps do not count). */
  readonly peakConcurrent: number;
  /** When the peak was first reached; null when nobody was active. */
  readonly peakAt: Date | null;
  /** Highest level L held (at L or above) for at least `thresholdMs` in total. */
  readonly billableConcurrent: number;
  /** Sum of all users' active time in the period. */
  readonly activeMs: number;
  readonly activeHours: number;
  readonly thresholdMs: number;
  /** `msAtOrAbove[L - 1]` is the total time during which at least L users were active. */
  readonly msAtOrAbove: readonly number[];
}

function instant(value: Date | number, field: string): number {
  const ms = value instanceof Date ? value.getTime() : value;
  if (typeof ms !== 'number' || !Number.isFinite(ms))
    throw badInput(`${field} is not a valid instant`, field);
  return ms;
}

function resolveOptions(options: ConcurrencyOptions): {
  periodStart: number;
  periodEnd: number;
  thresholdMs: number;
} {
  const periodStart = instant(options.periodStart, 'periodStart');
  const periodEnd = instant(options.periodEnd, 'periodEnd');
  if (periodEnd < periodStart) throw badInput('periodEnd must not be before periodStart', 'periodEnd');
  const thresholdMs = options.thresholdMs ?? DEFAULT_BILLABLE_THRESHOLD_MS;
  if (!Number.isFinite(thresholdMs) || thresholdMs < 0) {
    throw badInput('the billable threshold must be a non-negative duration', 'thresholdMs');
  }
  return { periodStart, periodEnd, thresholdMs };
}

/**
 * Peak, billable concurrent users and active hours in one sweep over a time-ordered stream of
 * level changes, as a database cursor yields it for a month of 1–2 million sessions.
 *
 * Memory is O(peak level): the only per-level state is the time spent at exactly each level.
 * Time "at or above L" is the suffix sum of those, taken once in `finish`; adding the
 * interval to every level below the current one on each change would be O(level) per event.
 * Changes at the same instant are netted before any time is credited, so a hand-over (one
 * session ends as another starts) does not count as a moment with both users active.
 *
 * The stream comes from our own store, so an out-of-order change or a level below zero is a
 * bug upstream and throws a RangeError rather than a user-facing error.
 */
export class ConcurrencyAccumulator {
  readonly periodStart: number;
  readonly periodEnd: number;
  readonly thresholdMs: number;
  private readonly msAtLevel: number[] = [0];
  private cursor: number;
  private level = 0;
  private peak = 0;
  private peakAt: number | null = null;
  private finished = false;

  constructor(options: ConcurrencyOptions) {
    const resolved = resolveOptions(options);
    this.periodStart = resolved.periodStart;
    this.periodEnd = resolved.periodEnd;
    this.thresholdMs = resolved.thresholdMs;
    this.cursor = this.periodStart;
  }

  /** The current number of active users (after every change added so far). */
  get currentLevel(): number {
    return this.level;
  }

  add(at: Date | number, delta: number): void {
    if (this.finished) throw new RangeError('the concurrency accumulator is already finished');
    if (!Number.isSafeInteger(delta)) throw new RangeError(`level change must be an integer, not ${delta}`);
    const t = Math.min(Math.max(instant(at, 'at'), this.periodStart), this.periodEnd);
    if (t < this.cursor) {
      throw new RangeError(
        `level changes must come in time order (${new Date(t).toISOString()} after ${new Date(this.cursor).toISOString()})`,
      );
    }
    this.creditUntil(t);
    this.level += delta;
  }

  /**
   * Closes the sweep at `until` (default: the period end); users still active are counted up to
   * it. An earlier `until` gives the figures "so far" for a period in progress.
   */
  finish(until: Date | number = this.periodEnd): ConcurrencyResult {
    if (this.finished) throw new RangeError('the concurrency accumulator is already finished');
    const end = instant(until, 'until');
    if (end < this.periodStart || end > this.periodEnd) {
      throw badInput('finish must be within the period', 'until');
    }
    if (end < this.cursor) throw new RangeError('finish is earlier than changes already added');
    this.creditUntil(end);
    this.finished = true;

    const msAtOrAbove: number[] = new Array<number>(this.msAtLevel.length - 1);
    let running = 0;
    let billable = 0;
    let activeMs = 0;
    for (let level = this.msAtLevel.length - 1; level >= 1; level--) {
      running += this.msAtLevel[level] ?? 0;
      msAtOrAbove[level - 1] = running;
      activeMs += running;
      if (billable === 0 && running > 0 && running >= this.thresholdMs) billable = level;
    }
    return {
      peakConcurrent: this.peak,
      peakAt: this.peakAt === null ? null : new Date(this.peakAt),
      billableConcurrent: billable,
      activeMs,
      activeHours: activeMs / HOUR_MS,
      thresholdMs: this.thresholdMs,
      msAtOrAbove,
    };
  }

  /** Credits [cursor, t) to the level held over it, then moves the cursor to t. */
  private creditUntil(t: number): void {
    if (t === this.cursor) return;
    if (this.level < 0) {
      throw new RangeError(
        `concurrency fell below zero at ${new Date(this.cursor).toISOString()}: an end without a start`,
      );
    }
    if (this.level > 0) {
      while (this.msAtLevel.length <= this.level) this.msAtLevel.push(0);
      this.msAtLevel[this.level] = (this.msAtLevel[this.level] ?? 0) + (t - this.cursor);
      if (this.level > this.peak) {
        this.peak = this.level;
        this.peakAt = this.cursor;
      }
    }
    this.cursor = t;
  }
}

/** One sweep over an array or a database cursor. */
export async function measureConcurrency(
  changes: Iterable<LevelChange> | AsyncIterable<LevelChange>,
  options: ConcurrencyOptions & { readonly until?: Date | number },
): Promise<ConcurrencyResult> {
  const accumulator = new ConcurrencyAccumulator(options);
  for await (const change of changes) accumulator.add(change.at, change.delta);
  return accumulator.finish(options.until);
}

/**
 * A concurrency sweep per key (billing category) over one shared stream: a session carrying
 * AGENT and RECORDER moves both levels.
 */
export class KeyedConcurrencyAccumulator<K extends string> {
  private readonly byKey = new Map<K, ConcurrencyAccumulator>();

  private readonly options: ConcurrencyOptions;

  constructor(options: ConcurrencyOptions) {
    // Refuses bad options now rather than at the first change.
    this.options = { ...options, ...resolveOptions(options) };
  }

  add(at: Date | number, delta: number, keys: Iterable<K>): void {
    for (const key of keys) {
      let accumulator = this.byKey.get(key);
      if (!accumulator) {
        accumulator = new ConcurrencyAccumulator(this.options);
        this.byKey.set(key, accumulator);
      }
      accumulator.add(at, delta);
    }
  }

  /** Results for every key that saw a change. */
  finish(until?: Date | number): Map<K, ConcurrencyResult> {
    return new Map([...this.byKey].map(([key, accumulator]) => [key, accumulator.finish(until)]));
  }
}

/**
 * The level changes of whole sessions, sorted. This holds every session in memory, so it is
 * for tests and small ranges; reports stream the same shape from SQL instead. A session with
 * no end is still active and is closed by `finish`.
 */
export function levelChangesOf(
  sessions: Iterable<{ readonly start: Date; readonly end: Date | null }>,
): LevelChange[] {
  const changes: LevelChange[] = [];
  for (const session of sessions) {
    changes.push({ at: session.start.getTime(), delta: 1 });
    if (session.end) changes.push({ at: session.end.getTime(), delta: -1 });
  }
  return changes.sort((a, b) => Number(a.at) - Number(b.at));
}
