import { validateUserLicenses } from './licenses.js';
import { planLogon, type LogonPlan } from './logon.js';
import { canAcquire, checkAcquire, poolLimit } from './pools.js';

describe('canAcquire', () => {
  it.each([
    [0, 50, true, true],
    [49, 50, true, true],
    [50, 50, true, false],
    // A smaller file was loaded: holders keep their licences, nobody new gets one.
    [55, 50, true, false],
    [0, 0, true, false],
    [50, 50, false, true],
    [10_000, 0, false, true],
  ])('%i in use of %i, capped %s → %s', (inUse, total, capped, expected) => {
    expect(canAcquire(inUse, total, capped)).toBe(expected);
  });
});

describe('poolLimit', () => {
  it.each([
    ['PERPETUAL', 50, undefined, 50],
    ['PERPETUAL', 50, 10, 50],
    ['SUBSCRIPTION', 50, undefined, null],
    ['SUBSCRIPTION', 50, null, null],
    ['SUBSCRIPTION', 50, 20, 20],
    ['SUBSCRIPTION', 50, 0, 0],
  ] as const)('%s file of %i, account cap %p → %p', (model, fileTotal, accountCap, limit) => {
    expect(poolLimit({ model, fileTotal, accountCap })).toBe(limit);
  });
});

describe('checkAcquire', () => {
  it('refuses an exhausted capped pool with LICENSE_EXHAUSTED', () => {
    expect(checkAcquire({ key: 'I3_ACCESS_TRACKER', inUse: 50, limit: 50 })).toEqual({
      ok: false,
      code: 'LICENSE_EXHAUSTED',
      message: 'No I3_ACCESS_TRACKER licence is available: 50 of 50 in use',
      key: 'I3_ACCESS_TRACKER',
    });
  });

  it('admits anyone to an uncapped pool', () => {
    expect(checkAcquire({ key: 'I3_ACCESS_TRACKER', inUse: 500, limit: null })).toBeNull();
  });
});

// docs/domain.md section 2 worked example: a server with 50 Interaction Tracker licences.
describe('worked example: 50 Interaction Tracker licences', () => {
  const TRACKER = 'I3_ACCESS_TRACKER';
  const limit = poolLimit({ model: 'PERPETUAL', fileTotal: 50 });

  it('assigned: 50 users can be assigned, the 51st is refused', () => {
    let inUse = 0;
    const outcomes: (string | null)[] = [];
    for (let user = 1; user <= 51; user++) {
      const refused = checkAcquire({ key: TRACKER, inUse, limit });
      outcomes.push(refused?.code ?? null);
      if (!refused) inUse++;
    }
    expect(inUse).toBe(50);
    expect(outcomes.slice(0, 50).every((code) => code === null)).toBe(true);
    expect(outcomes[50]).toBe('LICENSE_EXHAUSTED');
  });

  describe('concurrent', () => {
    const trackerUser = { allocationMethod: 'CONCURRENT' as const, licenses: ['I3_ACCESS_CLIENT', TRACKER] };
    const station = {
      kind: 'WORKSTATION' as const,
      licenses: ['I3_LICENSE_BASIC_STATION', 'I3_ACCESS_CLIENT'],
    };
    const pools = { [`${TRACKER}_CONCURRENT`]: 50 } as Record<string, number>;

    const logOn = (inUse: Record<string, number>): LogonPlan => {
      const plan = planLogon({
        user: trackerUser,
        station,
        dynamicRemote: false,
        alreadyHeld: [],
        available: (key) => canAcquire(inUse[key] ?? 0, pools[key] ?? 0, true),
        supervisorDisabled: false,
      });
      if (!plan.ok) throw new Error(plan.message);
      for (const key of plan.acquire) inUse[key] = (inUse[key] ?? 0) + 1;
      return plan;
    };

    it('80 users may be configured: configuring consumes nothing', () => {
      const configured = Array.from({ length: 80 }, () => validateUserLicenses(trackerUser));
      expect(configured.every((result) => result.ok)).toBe(true);
    });

    it('50 log on; the 51st gets no Tracker licence until one logs off', () => {
      const inUse: Record<string, number> = {};
      const plans = Array.from({ length: 50 }, () => logOn(inUse));
      expect(plans.every((plan) => plan.acquire.includes(`${TRACKER}_CONCURRENT`))).toBe(true);
      expect(inUse[`${TRACKER}_CONCURRENT`]).toBe(50);

      const fiftyFirst = logOn(inUse);
      expect(fiftyFirst.denied).toEqual([{ key: `${TRACKER}_CONCURRENT`, reason: 'EXHAUSTED' }]);
      expect(fiftyFirst.capabilities).not.toContain(TRACKER);
      expect(inUse[`${TRACKER}_CONCURRENT`]).toBe(50);

      inUse[`${TRACKER}_CONCURRENT`] -= 1;
      expect(logOn(inUse).acquire).toContain(`${TRACKER}_CONCURRENT`);
      expect(inUse[`${TRACKER}_CONCURRENT`]).toBe(50);
    });
  });
});
