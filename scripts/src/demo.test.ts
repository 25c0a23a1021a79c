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
