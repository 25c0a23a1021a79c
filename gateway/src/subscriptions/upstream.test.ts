import { retryDelayMs } from './upstream.js';

describe('the upstream reconnection back-off', () => {
  test('doubles from the first delay up to the cap, each delay between half and all of its step', () => {
    const low = [0, 1, 2, 3, 4, 5, 10, 50].map((retries) => retryDelayMs(retries, 100, 2000, () => 0));
    const high = [0, 1, 2, 3, 4, 5, 10, 50].map((retries) => retryDelayMs(retries, 100, 2000, () => 1));
    expect(low).toEqual([50, 100, 200, 400, 800, 1000, 1000, 1000]);
    expect(high).toEqual([100, 200, 400, 800, 1600, 2000, 2000, 2000]);
  });

  test('connections lost together spread their retries instead of retrying in step', () => {
    const delays = new Set(Array.from({ length: 100 }, () => retryDelayMs(8, 100, 2000)));
    expect(delays.size).toBeGreaterThan(50);
    for (const delay of delays) {
      expect(delay).toBeGreaterThanOrEqual(1000);
      expect(delay).toBeLessThanOrEqual(2000);
    }
  });
});
