import { categoryTrend } from './usage-trend.js';

const D0 = Date.parse('2026-11-28T00:00:00.000Z');
const H = 3_600_000;
const at = (hours: number) => new Date(D0 + hours * H).toISOString();

describe('usage report categories day by day', () => {
  it('counts the most people active at once per category and day, and the different people', () => {
    const trend = categoryTrend(
      [
        // Day 1: ann and bob overlap in CLIENT (peak 2); ann's second session overlaps her first.
        { userId: 'ann', start: at(9), end: at(12), categories: ['CLIENT'] },
        { userId: 'ann', start: at(11), end: at(13), categories: ['CLIENT', 'SUPERVISOR'] },
        { userId: 'bob', start: at(10), end: at(11.5), categories: ['CLIENT'] },
        // Back to back is not at once.
        { userId: 'cy', start: at(13), end: at(14), categories: ['CLIENT'] },
        // Day 2: still logged on (no end) since day 2, 08:00.
        { userId: 'dee', start: at(32), end: null, categories: ['CLIENT'] },
      ],
      D0,
      D0 + 30 * 24 * H,
      D0 + 40 * H,
    );
    expect(trend.days).toEqual([D0, D0 + 24 * H]);
    expect(trend.categories).toEqual(['CLIENT', 'SUPERVISOR']);
    expect(trend.peak).toEqual({ CLIENT: [2, 1], SUPERVISOR: [1, 0] });
    expect(trend.named).toEqual({ CLIENT: [3, 1], SUPERVISOR: [1, 0] });
  });

  it('a session across midnight counts on both days', () => {
    const trend = categoryTrend(
      [{ userId: 'ann', start: at(22), end: at(26), categories: ['CLIENT'] }],
      D0,
      D0 + 3 * 24 * H,
      D0 + 3 * 24 * H,
    );
    expect(trend.peak['CLIENT']).toEqual([1, 1, 0]);
    expect(trend.named['CLIENT']).toEqual([1, 1, 0]);
  });
});
