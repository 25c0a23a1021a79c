import { DAY_MS, ManualClock, systemClock } from './clock.js';

describe('clocks', () => {
  it('the manual clock moves only when told', () => {
    const clock = new ManualClock('2020-06-01T00:00:00Z');
    expect(clock.now().toISOString()).toBe('2020-06-01T00:00:00.000Z');
    clock.advance(7 * DAY_MS);
    expect(clock.now().toISOString()).toBe('2020-06-08T00:00:00.000Z');
    clock.set('2021-01-01T12:00:00Z');
    expect(clock.now().toISOString()).toBe('2021-01-01T12:00:00.000Z');
  });

  it('hands out copies, so callers cannot move time', () => {
    const clock = new ManualClock('2020-06-01T00:00:00Z');
    clock.now().setFullYear(1999);
    expect(clock.now().getUTCFullYear()).toBe(2020);
  });

  it('the system clock follows real time', () => {
    expect(Math.abs(systemClock.now().getTime() - Date.now())).toBeLessThan(1000);
  });
});
