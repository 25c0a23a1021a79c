import {
  computeStage,
  stageTransitionsBetween,
  type Stage,
  type StageStatus,
  type StageTimeline,
} from './stage.js';

/*
 * What a write to a server's enforcement record does to its stage, as a pure function. Every
 * write (a scheduler tick, a check-in, a licence load) goes through it, so whichever replica
 * touches a server first also records the transitions that time has brought since the last
 * write: a tick that finds the row already changed has nothing left to do.
 */

export const CHANGE_CAUSES = ['GRACE_PERIOD_ELAPSED', 'CHECK_IN', 'LICENSE_LOADED', 'OVERRIDE'] as const;
export type ChangeCause = (typeof CHANGE_CAUSES)[number];

export interface PlannedChange {
  from: Stage;
  to: Stage;
  at: Date;
  cause: ChangeCause;
}

export interface PlanInput {
  /** The stage last recorded for the server. */
  storedStage: Stage;
  /** The timeline the stored stage was computed on. */
  before: StageTimeline;
  /** The timeline after this write (the same as `before` for a scheduler tick). */
  after: StageTimeline;
  now: Date;
  /** Why `after` differs from `before`; a tick passes GRACE_PERIOD_ELAPSED. */
  cause: ChangeCause;
}

export interface StagePlan {
  /** In order; each `from` is the previous `to`. */
  changes: PlannedChange[];
  /** The status at `now` on `after`: what the record holds once the plan is applied. */
  status: StageStatus;
}

const EPOCH = new Date(0);

/** A check-in recorded "after now" (a clock set back in a test) anchors at now instead. */
const asOf = (timeline: StageTimeline, now: Date): StageTimeline =>
  timeline.lastGoodCheckIn !== null && timeline.lastGoodCheckIn > now
    ? { ...timeline, lastGoodCheckIn: now }
    : timeline;

export function planStageChanges(input: PlanInput): StagePlan {
  const { now, cause } = input;
  const before = asOf(input.before, now);
  const after = asOf(input.after, now);
  const changes: PlannedChange[] = [];
  let stage: Stage = input.storedStage;

  // First the transitions time brought on the old timeline, each at the instant its stage began,
  // so that the history reads the same whether a tick or a check-in noticed them.
  if (before.applicable) {
    for (const t of stageTransitionsBetween(before, EPOCH, now)) {
      if (t.from < stage) continue;
      changes.push({ from: t.from, to: t.to, at: t.at, cause: 'GRACE_PERIOD_ELAPSED' });
      stage = t.to;
    }
  }

  // Then the write itself: a good check-in, a new licence (or a clock moved back) may put the
  // server on another stage at once.
  const status = computeStage({ ...after, now });
  if (status.stage !== stage) {
    changes.push({ from: stage, to: status.stage, at: now, cause });
  }
  return { changes, status };
}
