import { demoClock, REAL_TIME } from './demo-clock.js';
import { computeStage, stageTransitionsBetween, validateStageTimeline, type StageTimeline } from './stage.js';

const SECOND = 1000;
/** A real second is 20160 s (5.6 hours) of enforcement time: a 7-day grace period in 30 s. */
const SCALE = 20_160;
const anchor = new Date('2026-12-07T06:00:00.000Z');
const timeline = (timeScale?: number): StageTimeline => ({
  applicable: true,
  rampDate: new Date('2026-12-01T00:00:00.000Z'),
  graceDays: 7,
  lastGoodCheckIn: anchor,
  ...(timeScale === undefined ? {} : { timeScale }),
});
const after = (ms: number) => new Date(anchor.getTime() + ms);

describe('the demo clock', () => {
  const clock = demoClock({ accountIds: ['demo-account'], timeScale: SCALE });

  it('speeds up only the listed demo accounts: any other account runs in real time', () => {
    expect(clock.timeScaleFor('demo-account')).toBe(SCALE);
    expect(clock.timeScaleFor('real-customer')).toBe(1);
    expect(clock.timeScaleFor('')).toBe(1);
    expect(clock.timeScaleFor('DEMO-ACCOUNT')).toBe(1);
    // No demo account configured: nobody speeds up, whatever the scale.
    const none = demoClock({ accountIds: [], timeScale: SCALE });
    expect(none).toBe(REAL_TIME);
    expect(none.timeScaleFor('demo-account')).toBe(1);
  });

  it('walks a demo server from stage 1 to 6 in two and a half minutes, a stage every 30 s', () => {
    const fast = timeline(clock.timeScaleFor('demo-account'));
    expect(computeStage({ ...fast, now: after(30 * SECOND - 1) }).stage).toBe(1);
    const two = computeStage({ ...fast, now: after(30 * SECOND) });
    expect(two).toMatchObject({ stage: 2, since: after(30 * SECOND), nextStageAt: after(60 * SECOND) });
    expect(computeStage({ ...fast, now: after(150 * SECOND) }).stage).toBe(6);
    expect(stageTransitionsBetween(fast, anchor, after(150 * SECOND)).map((t) => [t.to, t.at])).toEqual([
      [2, after(30 * SECOND)],
      [3, after(60 * SECOND)],
      [4, after(90 * SECOND)],
      [5, after(120 * SECOND)],
      [6, after(150 * SECOND)],
    ]);
  });

  it("never moves a real customer's server faster: the same licence at the same instant stays at stage 1 for 7 days", () => {
    const real = timeline(clock.timeScaleFor('real-customer'));
    expect(computeStage({ ...real, now: after(150 * SECOND) })).toMatchObject({
      stage: 1,
      nextStageAt: after(7 * 86_400_000),
    });
    expect(stageTransitionsBetween(real, anchor, after(6 * 86_400_000))).toEqual([]);
    // Without a scale the timeline is real time too.
    expect(computeStage({ ...timeline(), now: after(150 * SECOND) }).stage).toBe(1);
  });

  it('refuses a scale that is not a whole number of at least 1', () => {
    for (const timeScale of [0, -5, 1.5, Number.NaN]) {
      expect(validateStageTimeline(timeline(timeScale))).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'timeScale',
      });
      expect(() => demoClock({ accountIds: ['demo-account'], timeScale })).toThrow(RangeError);
    }
    expect(validateStageTimeline(timeline(1))).toBeNull();
  });
});
