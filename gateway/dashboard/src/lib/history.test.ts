import {
  ALL_KEYS,
  appendPoint,
  chartColumns,
  defaultChartKey,
  HISTORY_WINDOW_MS,
  type HistoryPoint,
  parseStoredHistory,
  snapshotValues,
} from './history.js';

const T0 = Date.parse('2024-05-01T10:00:00.000Z');
const point = (minutes: number, values: HistoryPoint['values']): HistoryPoint => ({
  t: T0 + minutes * 60_000,
  values,
});

describe('the last hour of in use vs allowed', () => {
  it('forgets points older than an hour when a new one arrives', () => {
    let history: HistoryPoint[] = [];
    history = appendPoint(history, point(0, { A: [1, 5] }));
    history = appendPoint(history, point(30, { A: [2, 5] }));
    history = appendPoint(history, point(61, { A: [3, 5] }));
    expect(history.map((p) => p.values['A']![0])).toEqual([2, 3]);
  });

  it('gives step-chart columns in seconds, carrying the last value to now', () => {
    const history = [point(0, { A: [1, 5] }), point(10, { A: [4, 5] })];
    const [xs, inUse, allowed] = chartColumns(history, 'A', T0 + 20 * 60_000);
    expect(xs).toEqual([T0 / 1000, T0 / 1000 + 600, T0 / 1000 + 1200]);
    expect(inUse).toEqual([1, 4, 4]);
    expect(allowed).toEqual([5, 5, 5]);
  });

  it('adds every licence up for the all-licences line; one uncapped pool leaves the total uncapped', () => {
    const capped = [point(0, { A: [1, 5], B: [2, 3] })];
    expect(chartColumns(capped, ALL_KEYS, T0).slice(1)).toEqual([[3], [8]]);
    const uncapped = [point(0, { A: [1, 5], B: [2, null] })];
    expect(chartColumns(uncapped, ALL_KEYS, T0).slice(1)).toEqual([[3], [null]]);
  });

  it('shows the largest concurrent pool first, an uncapped one before any capped one', () => {
    const rows = [
      { key: 'I3_LICENSE_BASIC_STATION', concurrentInUse: 0, concurrentAllowed: 0 },
      { key: 'I3_ACCESS_CLIENT', concurrentInUse: 1, concurrentAllowed: 25 },
      { key: 'I3_ACCESS_ACD_MEDIA_1', concurrentInUse: 0, concurrentAllowed: 10 },
    ];
    expect(defaultChartKey(rows)).toBe('I3_ACCESS_CLIENT');
    expect(
      defaultChartKey([...rows, { key: 'I3_ACCESS_RECORDER', concurrentInUse: 0, concurrentAllowed: null }]),
    ).toBe('I3_ACCESS_RECORDER');
    expect(defaultChartKey([{ key: 'X', concurrentInUse: 0, concurrentAllowed: 0 }])).toBe(ALL_KEYS);
  });

  it('reads stored history defensively', () => {
    const stored = JSON.stringify([point(-90, { A: [1, 1] }), point(-5, { A: [2, 2] }), { t: 'x' }]);
    expect(parseStoredHistory(stored, T0)).toEqual([point(-5, { A: [2, 2] })]);
    expect(parseStoredHistory('not json', T0)).toEqual([]);
    expect(parseStoredHistory(null, T0)).toEqual([]);
    expect(HISTORY_WINDOW_MS).toBe(3_600_000);
  });

  it('keeps in use and allowed per key of a statistics snapshot', () => {
    expect(snapshotValues([{ key: 'A', concurrentInUse: 2, concurrentAllowed: null }])).toEqual({
      A: [2, null],
    });
  });
});
