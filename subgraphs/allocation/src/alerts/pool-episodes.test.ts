import { type PoolEpisodeState, NO_EPISODE, afterDenials, burstEnded } from './pool-episodes.js';

const burst = { threshold: 3, windowMs: 60_000 };
const T0 = Date.parse('2026-12-07T09:00:00.000Z');

/** Runs denials through the episodes; returns what was announced at each step. */
function run(steps: Array<{ at: number; exhausted: number; inWindow: number }>, start = NO_EPISODE) {
  let state: PoolEpisodeState = start;
  return steps.map((s) => {
    const next = afterDenials(state, { exhausted: s.exhausted, inWindow: s.inWindow, now: s.at }, burst);
    state = next.state;
    return { exhausted: next.exhaustedOpened, burst: next.burstOpened, state };
  });
}

describe('pool exhaustion episodes', () => {
  it('announces the first refusal for want of a licence, and no later one while the episode is open', () => {
    const out = run([
      { at: T0, exhausted: 1, inWindow: 1 },
      { at: T0 + 1000, exhausted: 1, inWindow: 2 },
      { at: T0 + 3_600_000, exhausted: 2, inWindow: 2 },
    ]);
    expect(out.map((o) => o.exhausted)).toEqual([true, false, false]);
    expect(out[2]?.state.exhaustedSince).toBe(T0);
  });

  it('opens a new episode once the previous one was closed (the pool had room)', () => {
    const [first] = run([{ at: T0, exhausted: 1, inWindow: 1 }]);
    const reopened = run([{ at: T0 + 5000, exhausted: 1, inWindow: 1 }], {
      ...first!.state,
      exhaustedSince: null,
    });
    expect(reopened[0]).toMatchObject({ exhausted: true, state: { exhaustedSince: T0 + 5000 } });
  });

  it('denials of other reasons (supervisor disabled, standby) never open an exhaustion episode', () => {
    expect(run([{ at: T0, exhausted: 0, inWindow: 1 }])[0]).toMatchObject({
      exhausted: false,
      state: { exhaustedSince: null },
    });
  });
});

describe('denial bursts', () => {
  it('announces a burst when the denials within the window reach the threshold, once for the whole burst', () => {
    const out = run([
      { at: T0, exhausted: 1, inWindow: 1 },
      { at: T0 + 1000, exhausted: 1, inWindow: 2 },
      { at: T0 + 2000, exhausted: 1, inWindow: 3 },
      { at: T0 + 3000, exhausted: 1, inWindow: 4 },
      // Still over the threshold a minute and more later: the same burst.
      { at: T0 + 50_000, exhausted: 1, inWindow: 3 },
      { at: T0 + 100_000, exhausted: 1, inWindow: 3 },
    ]);
    expect(out.map((o) => o.burst)).toEqual([false, false, true, false, false, false]);
    expect(out[5]?.state).toMatchObject({ burstSince: T0 + 2000, burstLastAt: T0 + 100_000 });
  });

  it('a burst ends when a whole window passes below the threshold; the next one is announced again', () => {
    const out = run([
      { at: T0, exhausted: 0, inWindow: 3 },
      // Below the threshold but within a window of the burst's last: the burst is not over.
      { at: T0 + 30_000, exhausted: 0, inWindow: 2 },
      { at: T0 + 40_000, exhausted: 0, inWindow: 3 },
      // More than a window after the last time it reached the threshold: a new burst.
      { at: T0 + 40_000 + 60_001, exhausted: 0, inWindow: 3 },
    ]);
    expect(out.map((o) => o.burst)).toEqual([true, false, false, true]);
    expect(out[3]?.state.burstSince).toBe(T0 + 100_001);
  });

  it('a denial below the threshold after the burst ended clears it', () => {
    const [open] = run([{ at: T0, exhausted: 0, inWindow: 5 }]);
    const [after] = run([{ at: T0 + 120_000, exhausted: 0, inWindow: 1 }], open!.state);
    expect(after).toMatchObject({ burst: false, state: { burstSince: null, burstLastAt: null } });
    expect(burstEnded(open!.state, T0 + 60_000, burst)).toBe(false);
    expect(burstEnded(open!.state, T0 + 60_001, burst)).toBe(true);
  });

  it('exhaustion and burst are separate: one denial may open both', () => {
    const [first] = run([{ at: T0, exhausted: 1, inWindow: 3 }]);
    expect(first).toMatchObject({ exhausted: true, burst: true });
  });
});
