import { HistoryFold, type HistorySample, bucketOf, historyInUse, historyPoints } from './history.js';

const T0 = Date.parse('2024-03-01T08:00:00.000Z');
const MIN = 60_000;

const line = (
  key: string,
  concurrentInUse: number,
  peak = concurrentInUse,
  peakAt: number | null = null,
) => ({
  key,
  assignableAllowed: 10,
  assignableConfigured: 0,
  assignableInUse: 0,
  assignableWithheld: 0,
  assignableLicensed: 10,
  concurrentAllowed: 5,
  concurrentConfigured: 5,
  concurrentInUse,
  concurrentLicensed: 5,
  available: 5 - concurrentInUse,
  capped: true,
  peakInUse: peak,
  peakAt: peakAt === null ? null : new Date(peakAt).toISOString(),
  denials: 0,
  note: null,
});

const sample = (at: number, version: number, ...statistics: ReturnType<typeof line>[]): HistorySample => ({
  serverId: 'srv',
  version,
  at,
  statistics,
});

describe('usage history fold (in memory, per server, licence and bucket)', () => {
  it.each([
    {
      name: 'one minute: the newest read is the in-use, the highest the peak',
      samples: [
        sample(T0 + 1000, 1, line('A', 1)),
        sample(T0 + 2000, 2, line('A', 3)),
        sample(T0 + 3000, 3, line('A', 2)),
      ],
      minute: [{ bucketAt: T0, inUse: 2, peak: 3 }],
    },
    {
      name: 'reads arriving out of order: the highest version still wins the in-use',
      samples: [sample(T0 + 2000, 5, line('A', 4)), sample(T0 + 1000, 4, line('A', 1))],
      minute: [{ bucketAt: T0, inUse: 4, peak: 4 }],
    },
    {
      name: 'two minutes: a cell each',
      samples: [sample(T0 + 1000, 1, line('A', 1)), sample(T0 + MIN + 1000, 2, line('A', 2))],
      minute: [
        { bucketAt: T0, inUse: 1, peak: 1 },
        { bucketAt: T0 + MIN, inUse: 2, peak: 2 },
      ],
    },
    {
      name: 'a peak the coalesced reads skipped (the pool’s own peak, reached within the minute) counts',
      samples: [sample(T0 + 5000, 1, line('A', 1, 4, T0 + 3000))],
      minute: [{ bucketAt: T0, inUse: 1, peak: 4 }],
    },
    {
      name: 'a pool peak reached in an earlier minute does not count in this one',
      samples: [sample(T0 + MIN + 5000, 1, line('A', 1, 4, T0 + 3000))],
      minute: [{ bucketAt: T0 + MIN, inUse: 1, peak: 1 }],
      // ... but it does in the hour and the day that hold it.
      rolledPeak: 4,
    },
  ])(
    '$name',
    ({
      samples,
      minute,
      rolledPeak,
    }: {
      samples: HistorySample[];
      minute: Array<{ bucketAt: number; inUse: number; peak: number }>;
      rolledPeak?: number;
    }) => {
      const fold = new HistoryFold();
      for (const s of samples) fold.observe(s);
      const cells = fold.drain();
      expect(
        cells
          .filter((c) => c.resolution === 'MINUTE')
          .map(({ bucketAt, inUse, peak }) => ({ bucketAt, inUse, peak }))
          .sort((a, b) => a.bucketAt - b.bucketAt),
      ).toEqual(minute);
      // The hour and the day are rolled up from the same reads: last in-use, highest peak.
      const last = minute[minute.length - 1]!;
      const peak = rolledPeak ?? Math.max(...minute.map((m) => m.peak));
      for (const resolution of ['HOUR', 'DAY'] as const) {
        expect(
          cells.filter((c) => c.resolution === resolution).map(({ inUse, peak }) => ({ inUse, peak })),
        ).toEqual([{ inUse: last.inUse, peak }]);
      }
      expect(fold.drain()).toEqual([]);
    },
  );

  it('a failed write is put back and merged with what came since', () => {
    const fold = new HistoryFold();
    fold.observe(sample(T0 + 1000, 1, line('A', 3)));
    const failed = fold.drain();
    fold.observe(sample(T0 + 2000, 2, line('A', 1)));
    fold.restore(failed);
    const minute = fold.drain().find((c) => c.resolution === 'MINUTE');
    expect(minute).toMatchObject({ inUse: 1, peak: 3, version: 2 });
  });

  it('keeps the concurrent pool of a licence that has one, else the assignable pool', () => {
    expect(historyInUse({ ...line('A', 2), assignableInUse: 7 })).toBe(2);
    expect(
      historyInUse({
        ...line('B', 0),
        concurrentAllowed: 0,
        concurrentConfigured: 0,
        concurrentLicensed: 0,
        assignableInUse: 7,
      }),
    ).toBe(7);
  });

  it('buckets are UTC minutes, hours and days', () => {
    const at = Date.parse('2024-03-01T08:17:42.123Z');
    expect(new Date(bucketOf(at, 'MINUTE')).toISOString()).toBe('2024-03-01T08:17:00.000Z');
    expect(new Date(bucketOf(at, 'HOUR')).toISOString()).toBe('2024-03-01T08:00:00.000Z');
    expect(new Date(bucketOf(at, 'DAY')).toISOString()).toBe('2024-03-01T00:00:00.000Z');
  });
});

describe('usage history points', () => {
  const base = { resolution: 'MINUTE' as const, denials: new Map<number, number>() };

  it('carries the last in-use through minutes without a change, and starts each minute at it', () => {
    const points = historyPoints({
      ...base,
      from: T0,
      to: T0 + 10 * MIN,
      now: T0 + 3 * MIN + 5000,
      before: { bucketAt: T0 - 5 * MIN, inUse: 4, peak: 4 },
      buckets: [{ bucketAt: T0 + MIN, inUse: 1, peak: 1 }],
      denials: new Map([[T0 + 2 * MIN, 3]]),
    });
    expect(points.map((p) => [p.at.getTime() - T0, p.inUse, p.peak, p.denials])).toEqual([
      [0, 4, 4, 0],
      // It dropped from 4 to 1 during the minute: 4 was held at its start.
      [MIN, 1, 4, 0],
      [2 * MIN, 1, 1, 3],
      // The minute under way is shown; later ones are not.
      [3 * MIN, 1, 1, 0],
    ]);
  });

  it('nothing known before the first change: no point until then', () => {
    const points = historyPoints({
      ...base,
      from: T0,
      to: T0 + 3 * MIN,
      now: T0 + 10 * MIN,
      before: undefined,
      buckets: [{ bucketAt: T0 + 2 * MIN, inUse: 2, peak: 3 }],
    });
    expect(points.map((p) => [p.at.getTime() - T0, p.inUse, p.peak])).toEqual([[2 * MIN, 2, 3]]);
  });
});
