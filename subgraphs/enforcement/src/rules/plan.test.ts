import { planStageChanges, type PlanInput } from './plan.js';
import { type StageTimeline } from './stage.js';

const d = (iso: string): Date => new Date(iso.length === 10 ? `${iso}T00:00:00.000Z` : iso);

// docs/domain.md section 4 worked example: ramp 2020-06-01, grace 7 days.
const example: StageTimeline = {
  applicable: true,
  rampDate: d('2020-06-01'),
  graceDays: 7,
  lastGoodCheckIn: null,
};
const notCloud: StageTimeline = { applicable: false, rampDate: null, graceDays: 7, lastGoodCheckIn: null };

const tick = (storedStage: PlanInput['storedStage'], now: string, timeline = example): PlanInput => ({
  storedStage,
  before: timeline,
  after: timeline,
  now: d(now),
  cause: 'GRACE_PERIOD_ELAPSED',
});

const summary = (input: PlanInput) => {
  const plan = planStageChanges(input);
  return {
    stage: plan.status.stage,
    changes: plan.changes.map((c) => `${c.from}->${c.to}@${c.at.toISOString()}:${c.cause}`),
  };
};

describe('planStageChanges: a scheduler tick', () => {
  it.each([
    ['nothing due before the ramp date', 1, '2020-05-15', 1, []],
    ['nothing due during the first grace period', 1, '2020-06-07T23:59:59.999Z', 1, []],
    ['stage 2 begins on 06-08', 1, '2020-06-08', 2, ['1->2@2020-06-08T00:00:00.000Z:GRACE_PERIOD_ELAPSED']],
    [
      'a late tick records the instant the stage began',
      1,
      '2020-06-08T13:00:00.000Z',
      2,
      ['1->2@2020-06-08T00:00:00.000Z:GRACE_PERIOD_ELAPSED'],
    ],
    ['an already recorded stage is not recorded again', 2, '2020-06-10', 2, []],
    [
      'a tick after a long outage records each stage once, in order',
      2,
      '2020-07-01',
      5,
      [
        '2->3@2020-06-15T00:00:00.000Z:GRACE_PERIOD_ELAPSED',
        '3->4@2020-06-22T00:00:00.000Z:GRACE_PERIOD_ELAPSED',
        '4->5@2020-06-29T00:00:00.000Z:GRACE_PERIOD_ELAPSED',
      ],
    ],
    ['stage 6 is the last', 6, '2021-01-01', 6, []],
  ] as const)('%s', (_label, stored, now, stage, changes) => {
    expect(summary(tick(stored, now))).toEqual({ stage, changes: [...changes] });
  });

  it('a server without I3_FEATURE_VIRTUAL_CLOUD never moves', () => {
    expect(summary(tick(1, '2030-01-01', notCloud))).toEqual({ stage: 1, changes: [] });
  });
});

describe('planStageChanges: a good check-in', () => {
  const checkIn = (storedStage: PlanInput['storedStage'], at: string, now = at): PlanInput => ({
    storedStage,
    before: example,
    after: { ...example, lastGoodCheckIn: d(at) },
    now: d(now),
    cause: 'CHECK_IN',
  });

  it('in the middle of stage 3 returns to stage 1 at once', () => {
    expect(summary(checkIn(3, '2020-06-17T10:00:00.000Z'))).toEqual({
      stage: 1,
      changes: ['3->1@2020-06-17T10:00:00.000Z:CHECK_IN'],
    });
  });

  it('first records the transitions the scheduler had not yet noticed', () => {
    expect(summary(checkIn(1, '2020-06-17T10:00:00.000Z'))).toEqual({
      stage: 1,
      changes: [
        '1->2@2020-06-08T00:00:00.000Z:GRACE_PERIOD_ELAPSED',
        '2->3@2020-06-15T00:00:00.000Z:GRACE_PERIOD_ELAPSED',
        '3->1@2020-06-17T10:00:00.000Z:CHECK_IN',
      ],
    });
  });

  it('restarts the grace period: the next stage is a grace period after the check-in', () => {
    const plan = planStageChanges(checkIn(3, '2020-06-17T10:00:00.000Z'));
    expect(plan.status.nextStageAt).toEqual(d('2020-06-24T10:00:00.000Z'));
  });

  it('at stage 1 changes nothing', () => {
    expect(summary(checkIn(1, '2020-06-05'))).toEqual({ stage: 1, changes: [] });
  });

  it('before the ramp date changes nothing', () => {
    expect(summary(checkIn(1, '2020-05-20'))).toEqual({ stage: 1, changes: [] });
  });

  it('reported late still returns the server to stage 1 when its grace period has not run out', () => {
    // Recorded on 06-09 (stage 2) for a check-in that happened on 06-07.
    expect(summary(checkIn(2, '2020-06-07', '2020-06-09'))).toEqual({
      stage: 1,
      changes: ['2->1@2020-06-09T00:00:00.000Z:CHECK_IN'],
    });
  });

  it('reported very late leaves the stage its own grace period gives', () => {
    // A check-in on 06-10 reported on 06-20: stage 2 since 06-17.
    expect(summary(checkIn(3, '2020-06-10', '2020-06-20'))).toEqual({
      stage: 2,
      changes: ['3->2@2020-06-20T00:00:00.000Z:CHECK_IN'],
    });
  });
});

describe('planStageChanges: a licence load', () => {
  const load = (
    storedStage: PlanInput['storedStage'],
    before: StageTimeline,
    after: StageTimeline,
    now: string,
  ): PlanInput => ({
    storedStage,
    before,
    after,
    now: d(now),
    cause: 'LICENSE_LOADED',
  });

  it('a first virtual-cloud licence whose ramp date has passed long ago applies at once, as one change', () => {
    expect(summary(load(1, notCloud, example, '2020-06-23'))).toEqual({
      stage: 4,
      changes: ['1->4@2020-06-23T00:00:00.000Z:LICENSE_LOADED'],
    });
  });

  it('a licence without I3_FEATURE_VIRTUAL_CLOUD ends enforcement', () => {
    expect(summary(load(5, example, notCloud, '2020-07-01'))).toEqual({
      stage: 1,
      changes: ['5->1@2020-07-01T00:00:00.000Z:LICENSE_LOADED'],
    });
  });

  it('a later ramp date postpones enforcement', () => {
    expect(summary(load(2, example, { ...example, rampDate: d('2020-09-01') }, '2020-06-10'))).toEqual({
      stage: 1,
      changes: ['2->1@2020-06-10T00:00:00.000Z:LICENSE_LOADED'],
    });
  });

  it('a shorter grace period brings the next stage closer', () => {
    expect(summary(load(2, example, { ...example, graceDays: 2 }, '2020-06-10'))).toEqual({
      stage: 5,
      changes: ['2->5@2020-06-10T00:00:00.000Z:LICENSE_LOADED'],
    });
  });
});
