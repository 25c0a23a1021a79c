import { changedKeys, limitText, newDenials, sortRows, type StatisticRow, totals } from './statistics.js';

const row = (key: string, over: Partial<StatisticRow> = {}): StatisticRow => ({
  key,
  assignableAllowed: 0,
  assignableConfigured: 0,
  concurrentAllowed: 5,
  concurrentConfigured: 3,
  concurrentInUse: 0,
  available: 5,
  peakInUse: 0,
  denials: 0,
  note: null,
  ...over,
});

describe('statistics rows', () => {
  it('names the rows that changed between two updates', () => {
    const before = [row('A'), row('B')];
    const after = [row('A', { concurrentInUse: 1, available: 4 }), row('B'), row('C')];
    expect(changedKeys(before, after)).toEqual(['A', 'C']);
  });

  it('notes the denials that happened in between, per licence', () => {
    const before = [row('A', { denials: 2 }), row('B')];
    const after = [row('A', { denials: 5 }), row('B'), row('C', { denials: 1 })];
    expect(newDenials(before, after, 42)).toEqual([{ key: 'A', count: 3, seenAt: 42 }]);
  });

  it('adds up concurrent licences, uncapped as soon as one pool is', () => {
    expect(totals([row('A', { concurrentInUse: 2 }), row('B', { concurrentInUse: 1, denials: 4 })])).toEqual({
      inUse: 3,
      allowed: 10,
      denials: 4,
    });
    expect(totals([row('A'), row('B', { concurrentAllowed: null })]).allowed).toBeNull();
  });

  it('sorts by key and writes uncapped limits in words', () => {
    expect(sortRows([row('B'), row('A')]).map((r) => r.key)).toEqual(['A', 'B']);
    expect(limitText(null)).toBe('no cap');
    expect(limitText(0)).toBe('0');
  });
});
