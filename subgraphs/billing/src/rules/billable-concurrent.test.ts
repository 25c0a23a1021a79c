import { DomainError, HOUR_MS, MINUTE_MS } from '@lic/shared';
import {
  ConcurrencyAccumulator,
  KeyedConcurrencyAccumulator,
  type LevelChange,
  levelChangesOf,
  measureConcurrency,
} from './billable-concurrent.js';

const PERIOD = { periodStart: new Date('2020-04-28T00:00:00Z'), periodEnd: new Date('2020-05-28T00:00:00Z') };
const t0 = PERIOD.periodStart.getTime();
/** An instant `minutes` after 2020-05-01T08:00Z. */
const m = (minutes: number): Date => new Date(Date.UTC(2020, 4, 1, 8) + minutes * MINUTE_MS);
const session = (from: number, to: number | null) => ({ start: m(from), end: to === null ? null : m(to) });
const times = <T>(n: number, make: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => make(i));

const measure = (sessions: Array<{ start: Date; end: Date | null }>, thresholdMs?: number) =>
  measureConcurrency(levelChangesOf(sessions), {
    ...PERIOD,
    ...(thresholdMs === undefined ? {} : { thresholdMs }),
  });

describe('billable concurrent users', () => {
  // Ten users all day (8 hours), and two more for a while.
  const plateau = times(10, () => session(0, 480));

  it.each<[string, Array<[number, number]>, number, number]>([
    ['a 20-minute peak of 12 over a plateau of 10 bills 10', [[120, 140]], 12, 10],
    [
      'the same peak for 35 minutes in two pieces (20 + 15) bills 12',
      [
        [120, 140],
        [300, 315],
      ],
      12,
      12,
    ],
    ['exactly 30 minutes is enough', [[120, 150]], 12, 12],
    [
      '29 minutes in two pieces is not',
      [
        [120, 140],
        [200, 209],
      ],
      12,
      10,
    ],
  ])('%s', async (_name, peaks, peak, billable) => {
    const extra = peaks.flatMap(([from, to]) => [session(from, to), session(from, to)]);
    const result = await measure([...plateau, ...extra]);
    expect(result.peakConcurrent).toBe(peak);
    expect(result.billableConcurrent).toBe(billable);
  });

  it('takes the highest level reached for the threshold even if a level below it is the plateau', async () => {
    // 12 for 20 minutes and 11 for another 10: at least 11 for 30 minutes in total.
    const result = await measure([...plateau, session(120, 150), session(120, 140)]);
    expect(result.msAtOrAbove.slice(9)).toEqual([480 * MINUTE_MS, 30 * MINUTE_MS, 20 * MINUTE_MS]);
    expect(result.billableConcurrent).toBe(11);
  });

  it('has a configurable threshold', async () => {
    const sessions = [...plateau, session(120, 140), session(120, 140)];
    expect((await measure(sessions, 15 * MINUTE_MS)).billableConcurrent).toBe(12);
    expect((await measure(sessions, 9 * HOUR_MS)).billableConcurrent).toBe(0);
    expect((await measure(sessions, 0)).billableConcurrent).toBe(12);
  });

  it('bills nothing for an empty period', async () => {
    expect(await measure([])).toEqual({
      peakConcurrent: 0,
      peakAt: null,
      billableConcurrent: 0,
      activeMs: 0,
      activeHours: 0,
      thresholdMs: 30 * MINUTE_MS,
      msAtOrAbove: [],
    });
  });

  it('reports when the peak was first reached', async () => {
    const result = await measure([session(0, 60), session(30, 90), session(60, 120), session(100, 110)]);
    expect(result.peakConcurrent).toBe(2);
    expect(result.peakAt).toEqual(m(30));
  });
});

describe('instants and boundaries', () => {
  it('does not count a hand-over in the same instant as two users at once', async () => {
    const result = await measure([session(0, 60), session(60, 120)]);
    expect(result.peakConcurrent).toBe(1);
    expect(result.activeHours).toBe(2);
  });

  it('accepts the end before the start within one instant', () => {
    const acc = new ConcurrencyAccumulator(PERIOD);
    acc.add(m(0), 1);
    acc.add(m(60), -1);
    acc.add(m(60), 1);
    acc.add(m(60), -1);
    acc.add(m(60), 1);
    acc.add(m(90), -1);
    expect(acc.finish()).toMatchObject({ peakConcurrent: 1, activeMs: 90 * MINUTE_MS });
  });

  it('clips sessions spanning the period boundaries', async () => {
    const before = new Date(t0 - 5 * HOUR_MS);
    const result = await measureConcurrency(
      levelChangesOf([
        { start: before, end: new Date(t0 + HOUR_MS) },
        { start: new Date(PERIOD.periodEnd.getTime() - 2 * HOUR_MS), end: new Date('2020-06-01T00:00:00Z') },
        { start: before, end: new Date(t0) },
        { start: PERIOD.periodEnd, end: new Date('2020-06-02T00:00:00Z') },
      ]),
      PERIOD,
    );
    expect(result.activeHours).toBe(3);
    expect(result.peakConcurrent).toBe(1);
    expect(result.billableConcurrent).toBe(1);
  });

  it('counts a session spanning the whole period once, for the whole period', async () => {
    const result = await measureConcurrency(
      levelChangesOf([{ start: new Date('2020-01-01T00:00:00Z'), end: new Date('2021-01-01T00:00:00Z') }]),
      PERIOD,
    );
    expect(result.activeHours).toBe(30 * 24);
    expect(result.peakAt).toEqual(PERIOD.periodStart);
  });

  it('closes sessions still active at the end, or at an earlier `until` for a period in progress', async () => {
    const changes = levelChangesOf([session(0, null), session(0, 60)]);
    const full = await measureConcurrency(changes, PERIOD);
    expect(full.activeMs).toBe(PERIOD.periodEnd.getTime() - m(0).getTime() + 60 * MINUTE_MS);
    const soFar = await measureConcurrency(changes, { ...PERIOD, until: m(120) });
    expect(soFar.activeHours).toBe(3);
  });
});

describe('active hours', () => {
  it('is the John Smith day: 8.5 hours', async () => {
    expect((await measure([session(0, 510)])).activeHours).toBe(8.5);
  });

  it('sums every user', async () => {
    expect((await measure([session(0, 60), session(30, 90), session(200, 230)])).activeHours).toBe(2.5);
  });
});

describe('stream handling', () => {
  it('reads an async cursor', async () => {
    async function* cursor(): AsyncGenerator<LevelChange> {
      yield { at: m(0), delta: 1 };
      yield { at: m(0).getTime(), delta: 1 };
      yield { at: m(45), delta: -2 };
    }
    expect(await measureConcurrency(cursor(), PERIOD)).toMatchObject({
      peakConcurrent: 2,
      billableConcurrent: 2,
      activeMs: 90 * MINUTE_MS,
    });
  });

  it('accepts aggregated deltas (one row per instant from GROUP BY)', async () => {
    const result = await measureConcurrency(
      [
        { at: m(0), delta: 5 },
        { at: m(40), delta: -3 },
        { at: m(100), delta: -2 },
      ],
      PERIOD,
    );
    expect(result).toMatchObject({ peakConcurrent: 5, billableConcurrent: 5, activeMs: 320 * MINUTE_MS });
  });

  it('refuses changes out of order, a level below zero, and use after finish', () => {
    const unordered = new ConcurrencyAccumulator(PERIOD);
    unordered.add(m(10), 1);
    expect(() => unordered.add(m(5), -1)).toThrow(RangeError);

    const negative = new ConcurrencyAccumulator(PERIOD);
    negative.add(m(10), -1);
    expect(() => negative.add(m(20), 1)).toThrow(RangeError);

    const done = new ConcurrencyAccumulator(PERIOD);
    done.finish();
    expect(() => done.add(m(1), 1)).toThrow(RangeError);
    expect(() => done.finish()).toThrow(RangeError);
  });

  it('refuses bad options as user input', () => {
    expect(() => new ConcurrencyAccumulator({ ...PERIOD, thresholdMs: -1 })).toThrow(DomainError);
    expect(
      () => new ConcurrencyAccumulator({ periodStart: PERIOD.periodEnd, periodEnd: PERIOD.periodStart }),
    ).toThrow(DomainError);
    expect(() => new ConcurrencyAccumulator(PERIOD).finish(new Date('2021-01-01T00:00:00Z'))).toThrow(
      DomainError,
    );
  });

  it('sweeps a long stream with memory bounded by the peak level', () => {
    const acc = new ConcurrencyAccumulator(PERIOD);
    // 250,000 40-minute sessions, each starting 2.4 s after the previous one, so session i
    // ends exactly when session i + 1000 starts: 1000 at once, as a cursor would yield them.
    const step = 2400;
    const length = 1000 * step;
    for (let i = 0; i < 250_000; i++) {
      if (i >= 1000) acc.add(t0 + i * step, -1);
      acc.add(t0 + i * step, 1);
    }
    for (let i = 250_000; i < 251_000; i++) acc.add(t0 + i * step, -1);
    const result = acc.finish();
    expect(result.peakConcurrent).toBe(1000);
    expect(result.msAtOrAbove).toHaveLength(1000);
    expect(result.billableConcurrent).toBe(1000);
    expect(result.activeMs).toBe(250_000 * length);
  });
});

describe('against a brute-force count', () => {
  // A tiny seeded generator keeps the case reproducible.
  function random(seed: number): () => number {
    let s = seed;
    return () => {
      s = (s * 1103515245 + 12345) % 2 ** 31;
      return s / 2 ** 31;
    };
  }

  it.each([1, 2, 3, 4, 5, 6, 7, 8])('agrees minute by minute (seed %i)', async (seed) => {
    const rnd = random(seed);
    const sessions = times(40, () => {
      const from = Math.floor(rnd() * 600) - 60;
      return session(from, from + Math.floor(rnd() * 120));
    });
    const windowStart = m(0).getTime();
    const windowEnd = m(600).getTime();
    const result = await measureConcurrency(levelChangesOf(sessions), {
      periodStart: windowStart,
      periodEnd: windowEnd,
      thresholdMs: 25 * MINUTE_MS,
    });

    const levels = times(600, (minute) => {
      const t = m(minute).getTime();
      return sessions.filter((s) => s.start.getTime() <= t && (s.end?.getTime() ?? Infinity) > t).length;
    });
    const peak = Math.max(0, ...levels);
    const minutesAtOrAbove = (level: number) => levels.filter((l) => l >= level).length;
    let billable = 0;
    for (let level = peak; level >= 1 && billable === 0; level--)
      if (minutesAtOrAbove(level) >= 25) billable = level;

    expect(result.peakConcurrent).toBe(peak);
    expect(result.billableConcurrent).toBe(billable);
    expect(result.activeMs).toBe(levels.reduce((a, b) => a + b, 0) * MINUTE_MS);
  });
});

describe('KeyedConcurrencyAccumulator', () => {
  it('keeps one sweep per category over a shared stream', () => {
    const acc = new KeyedConcurrencyAccumulator<'AGENT' | 'BUSINESS_USER' | 'RECORDER'>(PERIOD);
    acc.add(m(0), 1, ['AGENT', 'RECORDER']);
    acc.add(m(0), 1, ['BUSINESS_USER']);
    acc.add(m(10), 1, ['AGENT']);
    acc.add(m(60), -1, ['AGENT', 'RECORDER']);
    acc.add(m(70), -1, ['AGENT']);
    acc.add(m(90), -1, ['BUSINESS_USER']);
    const results = acc.finish();
    expect(
      Object.fromEntries(
        [...results].map(([k, r]) => [k, [r.peakConcurrent, r.billableConcurrent, r.activeHours]]),
      ),
    ).toEqual({
      AGENT: [2, 2, 2],
      RECORDER: [1, 1, 1],
      BUSINESS_USER: [1, 1, 1.5],
    });
  });

  it('refuses bad options at once', () => {
    expect(() => new KeyedConcurrencyAccumulator({ ...PERIOD, thresholdMs: Number.NaN })).toThrow(
      DomainError,
    );
  });
});
