import { checkInIntervalMs, observedClock, type EnforcementStatusSeen } from './demo-enforcement.js';
import { actionsPerStep, nextAction, targetOccupancy } from './demo.js';

/** A small deterministic generator (mulberry32), so the walk is the same every run. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('demo traffic', () => {
  const period = 10 * 60_000;

  it('crests first at the time asked for, then every wave', () => {
    expect(targetOccupancy(40_000, period, 24, 40_000)).toBe(24);
    expect(targetOccupancy(40_000 + period, period, 24, 40_000)).toBe(24);
    // Half a wave after the crest, the trough: a fifth of the people.
    expect(targetOccupancy(40_000 + period / 2, period, 24, 40_000)).toBe(5);
    // Without a first crest, the wave starts at its trough (the shape short test waves rely on).
    expect(targetOccupancy(0, 2000, 7)).toBe(1);
    expect(targetOccupancy(1000, 2000, 7)).toBe(7);
  });

  it('lets people arrive several at a time while far from the wave', () => {
    expect(actionsPerStep(0, 24)).toBe(5);
    expect(actionsPerStep(20, 24)).toBe(2);
    expect(actionsPerStep(24, 24)).toBe(1);
  });

  it('asks for more seats than there are within a minute, with the default step and crest', () => {
    // 24 simulated people for 20 seats (a fifth more), a step every 1.5 s as `npm run demo` does.
    const users = 24;
    const seats = 20;
    const random = seeded(18);
    let loggedOn = 0;
    let refusedAt: number | undefined;
    for (let t = 1500; t <= 60_000 && refusedAt === undefined; t += 1500) {
      const target = targetOccupancy(t, period, users, 40_000);
      for (let i = actionsPerStep(loggedOn, target); i > 0; i--) {
        const action = nextAction(loggedOn, users, target, random);
        if (action === 'logon' && loggedOn >= seats) refusedAt = t;
        loggedOn += action === 'logon' ? 1 : -1;
      }
    }
    expect(refusedAt).toBeDefined();
    expect(refusedAt).toBeLessThanOrEqual(60_000);
  });
});

describe('enforcement demo', () => {
  const checkedIn = (since: string, nextStageAt: string): EnforcementStatusSeen => ({
    stage: 1,
    stageName: 'FULLY_FUNCTIONAL',
    since,
    nextStageAt,
    gracePeriodDays: 7,
    goodStanding: true,
    standingRefusal: null,
  });

  it('reads the demo clock off the status after a check-in, and checks in every 12 hours of it', () => {
    // 7 days in 30 s: a real second is 20160 s of enforcement time; 12 hours are about 2.1 s.
    const fast = observedClock(checkedIn('2026-12-07T06:00:00.000Z', '2026-12-07T06:00:30.000Z'))!;
    expect(fast).toEqual({ graceMs: 30_000, scale: 20_160, fast: true });
    expect(checkInIntervalMs(fast)).toBe(2143);
    // Real time: 7 days of grace, a check-in a minute (a real server's every 12 hours, made visible).
    const real = observedClock(checkedIn('2026-12-07T06:00:00.000Z', '2026-12-14T06:00:00.000Z'))!;
    expect(real).toEqual({ graceMs: 7 * 86_400_000, scale: 1, fast: false });
    expect(checkInIntervalMs(real)).toBe(60_000);
    // A stage a second: never more than a check-in a second.
    expect(
      checkInIntervalMs(observedClock(checkedIn('2026-12-07T06:00:00.000Z', '2026-12-07T06:00:01.000Z'))),
    ).toBe(1000);
  });

  it('sees no grace period running before the ramp date or off virtual cloud', () => {
    expect(
      observedClock({ ...checkedIn('2026-12-07T06:00:00.000Z', '2026-12-14T06:00:00.000Z'), since: null }),
    ).toBeNull();
    expect(
      observedClock({
        ...checkedIn('2026-12-07T06:00:00.000Z', '2026-12-14T06:00:00.000Z'),
        gracePeriodDays: null,
      }),
    ).toBeNull();
    expect(checkInIntervalMs(null)).toBe(60_000);
  });
});
