import { locatedError } from 'graphql';
import {
  callPortLimitAt,
  computeStage,
  StageRuleError,
  stageTransitionsBetween,
  validateStageInput,
  type Stage,
  type StageInput,
  type StageTimeline,
} from './stage.js';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

const d = (iso: string): Date => new Date(iso.length === 10 ? `${iso}T00:00:00.000Z` : iso);

// docs/domain.md section 4 worked example: issued 2020-05-01, ramp 2020-06-01, grace 7 days, no check-in.
const example: StageTimeline = {
  applicable: true,
  rampDate: d('2020-06-01'),
  graceDays: 7,
  lastGoodCheckIn: null,
};

const expectedExampleStage = (day: string): Stage => {
  if (day < '2020-06-08') return 1;
  if (day < '2020-06-15') return 2;
  if (day < '2020-06-22') return 3;
  if (day < '2020-06-29') return 4;
  if (day < '2020-07-06') return 5;
  return 6;
};

const exampleDays: string[] = [];
for (let t = d('2020-05-01').getTime(); t <= d('2020-07-10').getTime(); t += DAY_MS) {
  exampleDays.push(new Date(t).toISOString().slice(0, 10));
}

describe('computeStage: SPEC worked example, every day 05-01..07-10', () => {
  it('covers 71 days', () => expect(exampleDays).toHaveLength(71));

  it.each(exampleDays)('%s', (day) => {
    const expected = expectedExampleStage(day);
    const startOfDay = computeStage({ ...example, now: d(day) });
    const endOfDay = computeStage({ ...example, now: new Date(d(day).getTime() + DAY_MS - 1) });
    expect(startOfDay.stage).toBe(expected);
    expect(endOfDay.stage).toBe(expected);
  });
});

describe('computeStage: status fields on the worked example', () => {
  it.each([
    ['2020-05-01', 1, 'FULLY_FUNCTIONAL', null, '2020-06-08', 'NONE', true],
    ['2020-06-01', 1, 'FULLY_FUNCTIONAL', '2020-06-01', '2020-06-08', 'NONE', true],
    ['2020-06-07T23:59:59.999Z', 1, 'FULLY_FUNCTIONAL', '2020-06-01', '2020-06-08', 'NONE', true],
    ['2020-06-08', 2, 'WARNING', '2020-06-08', '2020-06-15', 'STATUS_BAR', true],
    ['2020-06-16T12:00:00.000Z', 3, 'OBTRUSIVE_WARNING', '2020-06-15', '2020-06-22', 'OBTRUSIVE', true],
    ['2020-06-22', 4, 'SUPERVISOR_DISABLED', '2020-06-22', '2020-06-29', 'OBTRUSIVE', false],
    ['2020-06-29', 5, 'CALL_PORTS_LIMITED', '2020-06-29', '2020-07-06', 'OBTRUSIVE', false],
    ['2020-07-06', 6, 'UNLICENSED', '2020-07-06', null, 'OBTRUSIVE', false],
    ['2021-01-01', 6, 'UNLICENSED', '2020-07-06', null, 'OBTRUSIVE', false],
  ] as const)('%s → stage %i %s', (now, stage, name, since, next, warning, supervisorEnabled) => {
    const status = computeStage({ ...example, now: d(now) });
    expect(status).toMatchObject({ applicable: true, stage, stageName: name, warning, supervisorEnabled });
    expect(status.since).toEqual(since === null ? null : d(since));
    expect(status.nextStageAt).toEqual(next === null ? null : d(next));
  });
});

describe('computeStage: check-ins', () => {
  const midStage3 = d('2020-06-17T10:00:00.000Z');

  it.each([
    [
      'at the check-in',
      '2020-06-17T10:00:00.000Z',
      1,
      '2020-06-17T10:00:00.000Z',
      '2020-06-24T10:00:00.000Z',
    ],
    [
      'a moment before grace ends',
      '2020-06-24T09:59:59.999Z',
      1,
      '2020-06-17T10:00:00.000Z',
      '2020-06-24T10:00:00.000Z',
    ],
    [
      'when the restarted grace ends',
      '2020-06-24T10:00:00.000Z',
      2,
      '2020-06-24T10:00:00.000Z',
      '2020-07-01T10:00:00.000Z',
    ],
    [
      'two periods later',
      '2020-07-01T10:00:00.000Z',
      3,
      '2020-07-01T10:00:00.000Z',
      '2020-07-08T10:00:00.000Z',
    ],
    ['long after', '2020-09-01', 6, '2020-07-22T10:00:00.000Z', null],
  ])(
    'a check-in mid stage 3 returns to stage 1 and restarts grace: %s',
    (_label, now, stage, since, next) => {
      const status = computeStage({ ...example, lastGoodCheckIn: midStage3, now: d(now) });
      expect(status.stage).toBe(stage);
      expect(status.since).toEqual(d(since));
      expect(status.nextStageAt).toEqual(next === null ? null : d(next));
    },
  );

  it('the same moment without the check-in is stage 3', () => {
    expect(computeStage({ ...example, now: midStage3 }).stage).toBe(3);
  });

  it.each([
    ['2020-05-31', 1],
    ['2020-06-07', 1],
    ['2020-06-08', 2],
    ['2020-07-06', 6],
  ] as const)('a check-in before the ramp date does not postpone enforcement (%s → %i)', (now, stage) => {
    const status = computeStage({ ...example, lastGoodCheckIn: d('2020-05-20'), now: d(now) });
    expect(status.stage).toBe(stage);
  });

  it('a check-in every 12 hours keeps the server at stage 1', () => {
    for (let t = d('2020-06-01').getTime(); t < d('2020-08-01').getTime(); t += 12 * HOUR_MS) {
      const status = computeStage({
        ...example,
        lastGoodCheckIn: new Date(t),
        now: new Date(t + 12 * HOUR_MS - 1),
      });
      expect(status.stage).toBe(1);
    }
  });
});

describe('computeStage: servers without I3_FEATURE_VIRTUAL_CLOUD', () => {
  const notApplicable: StageTimeline = {
    applicable: false,
    rampDate: null,
    graceDays: 0,
    lastGoodCheckIn: null,
  };

  it.each(['2000-01-01', '2020-07-06', '2099-12-31'])('are never enforced (%s)', (now) => {
    const status = computeStage({ ...notApplicable, now: d(now) });
    expect(status).toMatchObject({
      applicable: false,
      stage: 1,
      stageName: 'FULLY_FUNCTIONAL',
      since: null,
      nextStageAt: null,
      warning: 'NONE',
      supervisorEnabled: true,
    });
    expect(status.callPortLimit(23)).toBe(23);
  });

  it('ignore a ramp date and grace period if they carry one', () => {
    const status = computeStage({ ...example, applicable: false, now: d('2021-01-01') });
    expect(status.stage).toBe(1);
  });

  it('have no scheduled transitions', () => {
    expect(stageTransitionsBetween(notApplicable, d('2000-01-01'), d('2100-01-01'))).toEqual([]);
  });
});

describe('call port limits', () => {
  it.each([
    [1, 23, 23],
    [4, 23, 23],
    [5, 23, 4],
    [6, 23, 2],
    [5, 5, 2],
    [6, 5, 2],
    [5, 10, 2],
    [5, 15, 3],
    [5, 100, 20],
    [5, 1000, 200],
    [5, 1, 1],
    [6, 1, 1],
    [5, 0, 0],
    [6, 0, 0],
  ] as const)('stage %i with %i licensed → %i', (stage, licensed, limit) => {
    expect(callPortLimitAt(stage, licensed)).toBe(limit);
  });

  it('the status carries the limit of its stage', () => {
    expect(computeStage({ ...example, now: d('2020-06-29') }).callPortLimit(23)).toBe(4);
    expect(computeStage({ ...example, now: d('2020-07-06') }).callPortLimit(23)).toBe(2);
  });

  it.each([-1, 2.5, Number.NaN])('refuses %p licensed ports', (licensed) => {
    expect(() => callPortLimitAt(1, licensed)).toThrow(StageRuleError);
  });
});

describe('validateStageInput: guard order', () => {
  const valid: StageInput = { ...example, now: d('2020-06-10') };

  it.each<[string, Partial<StageInput>, string | null]>([
    ['valid', {}, null],
    ['invalid now', { now: new Date(Number.NaN) }, 'now'],
    ['invalid now before anything else', { now: new Date(Number.NaN), graceDays: 0 }, 'now'],
    ['missing ramp date', { rampDate: null }, 'rampDate'],
    ['invalid ramp date', { rampDate: new Date('nope') }, 'rampDate'],
    ['zero grace', { graceDays: 0 }, 'graceDays'],
    ['negative grace', { graceDays: -7 }, 'graceDays'],
    ['fractional grace', { graceDays: 1.5 }, 'graceDays'],
    ['NaN grace', { graceDays: Number.NaN }, 'graceDays'],
    ['ramp before grace', { rampDate: null, graceDays: 0 }, 'rampDate'],
    ['invalid check-in', { lastGoodCheckIn: new Date('nope') }, 'lastGoodCheckIn'],
    ['check-in after now', { lastGoodCheckIn: d('2020-06-11') }, 'lastGoodCheckIn'],
    ['check-in exactly now', { lastGoodCheckIn: d('2020-06-10') }, null],
    ['not applicable skips the licence fields', { applicable: false, rampDate: null, graceDays: 0 }, null],
    [
      'not applicable ignores a later check-in',
      { applicable: false, lastGoodCheckIn: d('2020-07-01') },
      null,
    ],
  ])('%s', (_label, patch, field) => {
    const violation = validateStageInput({ ...valid, ...patch });
    if (field === null) {
      expect(violation).toBeNull();
    } else {
      expect(violation).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
  });

  it('computeStage throws the violation with its stable code in extensions', () => {
    expect.assertions(3);
    try {
      computeStage({ ...valid, graceDays: 0 });
    } catch (error) {
      expect(error).toBeInstanceOf(StageRuleError);
      expect((error as StageRuleError).code).toBe('BAD_USER_INPUT');
      expect((error as StageRuleError).extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'graceDays' });
    }
  });
});

describe('stageTransitionsBetween', () => {
  it('lists every transition of the worked example once', () => {
    expect(stageTransitionsBetween(example, d('2020-05-01'), d('2020-12-31'))).toEqual([
      { from: 1, to: 2, at: d('2020-06-08') },
      { from: 2, to: 3, at: d('2020-06-15') },
      { from: 3, to: 4, at: d('2020-06-22') },
      { from: 4, to: 5, at: d('2020-06-29') },
      { from: 5, to: 6, at: d('2020-07-06') },
    ]);
  });

  it('windows are half-open (from, to]: a boundary transition belongs to the window it ends', () => {
    expect(stageTransitionsBetween(example, d('2020-06-01'), d('2020-06-08'))).toEqual([
      { from: 1, to: 2, at: d('2020-06-08') },
    ]);
    expect(stageTransitionsBetween(example, d('2020-06-08'), d('2020-06-14'))).toEqual([]);
  });

  it('emits each transition exactly once over consecutive hourly ticks', () => {
    const seen: Date[] = [];
    for (let t = d('2020-05-01').getTime(); t < d('2020-08-01').getTime(); t += HOUR_MS) {
      for (const transition of stageTransitionsBetween(example, new Date(t), new Date(t + HOUR_MS))) {
        seen.push(transition.at);
      }
    }
    expect(seen).toEqual(['2020-06-08', '2020-06-15', '2020-06-22', '2020-06-29', '2020-07-06'].map(d));
  });

  it('agrees with computeStage on either side of each transition', () => {
    for (const { from, to, at } of stageTransitionsBetween(example, d('2020-01-01'), d('2021-01-01'))) {
      expect(computeStage({ ...example, now: new Date(at.getTime() - 1) }).stage).toBe(from);
      expect(computeStage({ ...example, now: at }).stage).toBe(to);
    }
  });

  it('follows the restarted grace period after a check-in', () => {
    const afterCheckIn = { ...example, lastGoodCheckIn: d('2020-06-17T10:00:00.000Z') };
    expect(stageTransitionsBetween(afterCheckIn, d('2020-06-17T10:00:00.000Z'), d('2020-07-02'))).toEqual([
      { from: 1, to: 2, at: d('2020-06-24T10:00:00.000Z') },
      { from: 2, to: 3, at: d('2020-07-01T10:00:00.000Z') },
    ]);
  });

  it('an empty window has no transitions', () => {
    expect(stageTransitionsBetween(example, d('2020-06-08'), d('2020-06-08'))).toEqual([]);
  });

  it.each<[string, Date, Date, Partial<StageTimeline>]>([
    ['to before from', d('2020-06-10'), d('2020-06-01'), {}],
    ['invalid from', new Date('nope'), d('2020-06-01'), {}],
    ['invalid to', d('2020-06-01'), new Date('nope'), {}],
    ['invalid grace', d('2020-06-01'), d('2020-06-10'), { graceDays: 0 }],
  ])('refuses %s', (_label, from, to, patch) => {
    expect(() => stageTransitionsBetween({ ...example, ...patch }, from, to)).toThrow(StageRuleError);
  });
});

describe('StageRuleError', () => {
  it('keeps its stable code when graphql-js locates it', () => {
    const located = locatedError(
      new StageRuleError({ code: 'BAD_USER_INPUT', message: 'x', field: 'now' }),
      [],
    );
    expect(located.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'now' });
  });
});
