import { reconnectDelayMs, shouldReconnect } from './reconnect.js';

describe('the live connection retry policy', () => {
  test('the first retry comes 100 to 400 ms after the loss, spread at random', () => {
    expect(reconnectDelayMs(0, () => 0)).toBe(100);
    expect(reconnectDelayMs(0, () => 0.5)).toBe(250);
    expect(reconnectDelayMs(0, () => 0.999_999)).toBe(400);
  });

  test('each failed attempt doubles the wait, capped at 3 s and still spread', () => {
    expect([0, 1, 2, 3].map((retries) => reconnectDelayMs(retries, () => 0))).toEqual([100, 200, 400, 800]);
    const capped = Array.from({ length: 200 }, (_, i) => reconnectDelayMs(12, () => i / 200));
    expect(Math.max(...capped)).toBeLessThanOrEqual(3_000);
    expect(Math.min(...capped)).toBeGreaterThanOrEqual(1_500);
    expect(reconnectDelayMs(1_000, () => 0.5)).toBeLessThanOrEqual(3_000);
  });

  test('200 clients lost together spread their first retries over the whole 300 ms', () => {
    const firsts = Array.from({ length: 200 }, () => reconnectDelayMs(0));
    expect(Math.min(...firsts)).toBeGreaterThanOrEqual(100);
    expect(Math.max(...firsts)).toBeLessThanOrEqual(400);
    const buckets = new Set(firsts.map((ms) => Math.min(5, Math.floor((ms - 100) / 50))));
    expect(buckets.size).toBe(6);
  });

  test('retries for ever, except when the gateway refused the token or the client broke the protocol', () => {
    expect(shouldReconnect({ code: 1001, reason: 'Going away' })).toBe(true);
    expect(shouldReconnect({ code: 1006, reason: '' })).toBe(true);
    expect(shouldReconnect({ code: 1012, reason: '' })).toBe(true);
    expect(shouldReconnect(new Error('socket hang up'))).toBe(true);
    expect(shouldReconnect({ code: 4401, reason: 'Token has expired' })).toBe(false);
    expect(shouldReconnect({ code: 4403, reason: 'Forbidden' })).toBe(false);
    expect(shouldReconnect({ code: 4429, reason: 'Too many requests' })).toBe(false);
  });
});
