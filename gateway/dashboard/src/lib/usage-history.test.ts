import {
  defaultChartKey,
  historyColumns,
  historyPeak,
  historyRequest,
  type UsagePoint,
} from './usage-history.js';

const NOW = Date.parse('2026-12-07T03:30:25.000Z');

describe('usage history requests', () => {
  it.each([
    ['hour', '2026-12-07T02:31:00.000Z', '2026-12-07T03:31:00.000Z', 'MINUTE'],
    ['day', '2026-12-06T03:32:00.000Z', '2026-12-07T03:31:00.000Z', 'MINUTE'],
    ['month', '2026-11-07T03:31:00.000Z', '2026-12-07T03:31:00.000Z', 'HOUR'],
    ['period', '2026-11-28T00:00:00.000Z', '2026-12-07T03:31:00.000Z', 'HOUR'],
  ] as const)('%s: from %s to %s by %s', (range, from, to, resolution) => {
    expect(historyRequest(range, NOW, '2026-11-28T00:00:00.000Z')).toEqual({ from, to, resolution });
  });

  it('stays the same request within a minute, and fits the points one call answers', () => {
    expect(historyRequest('day', NOW)).toEqual(historyRequest('day', NOW + 30_000));
    const day = historyRequest('day', NOW);
    expect((Date.parse(day.to) - Date.parse(day.from)) / 60_000).toBeLessThanOrEqual(1500);
    const month = historyRequest('month', NOW);
    expect((Date.parse(month.to) - Date.parse(month.from)) / 3_600_000).toBeLessThanOrEqual(1500);
  });
});

describe('usage history columns and figures', () => {
  const points: UsagePoint[] = [
    { at: '2026-12-07T03:00:00.000Z', inUse: 1, peak: 3, denials: 2 },
    { at: '2026-12-07T03:01:00.000Z', inUse: 2, peak: 2, denials: 0 },
  ];

  it('draws peak and in use per bucket, against today’s allowed, up to the live figure now', () => {
    const at = Date.parse('2026-12-07T03:05:10.000Z');
    expect(historyColumns(points, 5, { at, inUse: 4 })).toEqual([
      [Date.parse(points[0]!.at) / 1000, Date.parse(points[1]!.at) / 1000, at / 1000],
      [3, 2, 4],
      [1, 2, 4],
      [5, 5, 5],
    ]);
  });

  it('the peak covers the stored buckets and what is in use now', () => {
    expect(historyPeak(points)).toBe(3);
    expect(historyPeak(points, 5)).toBe(5);
    expect(historyPeak([])).toBe(0);
  });
});

describe('the licence charted first', () => {
  it('is the largest concurrent pool, an uncapped one before any capped one; else the first licence', () => {
    const rows = [
      { key: 'I3_LICENSE_BASIC_STATION', concurrentInUse: 0, concurrentAllowed: 0 },
      { key: 'I3_ACCESS_CLIENT', concurrentInUse: 1, concurrentAllowed: 25 },
      { key: 'I3_ACCESS_ACD_MEDIA_1', concurrentInUse: 0, concurrentAllowed: 10 },
    ];
    expect(defaultChartKey(rows)).toBe('I3_ACCESS_CLIENT');
    expect(
      defaultChartKey([...rows, { key: 'I3_ACCESS_RECORDER', concurrentInUse: 0, concurrentAllowed: null }]),
    ).toBe('I3_ACCESS_RECORDER');
    expect(defaultChartKey([{ key: 'X', concurrentInUse: 0, concurrentAllowed: 0 }])).toBe('X');
    expect(defaultChartKey([])).toBeUndefined();
  });
});
