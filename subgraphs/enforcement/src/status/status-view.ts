import { ErrorCode } from '@lic/shared';
import { type DemoClock, REAL_TIME } from '../rules/demo-clock.js';
import { callPortLimitAt, computeStage, type Stage, type StageTimeline } from '../rules/stage.js';
import { type StandingVerdict } from '../rules/standing.js';
import { type EnforcementServer } from './enforcement-server.entity.js';
import { type EnforcementStatus } from './enforcement-status.types.js';

/**
 * What the stage rules need from a stored row; a server enforcement never heard of is never
 * enforced. Its grace period runs on `clock`: real time unless its account is a demo account.
 */
export function timelineOf(
  row: EnforcementServer | null,
  lastGoodCheckIn = row?.lastGoodCheckIn ?? null,
  clock: DemoClock = REAL_TIME,
): StageTimeline {
  if (!row?.applicable) return { applicable: false, rampDate: null, graceDays: 0, lastGoodCheckIn };
  return {
    applicable: true,
    rampDate: row.rampDate,
    graceDays: row.graceDays,
    lastGoodCheckIn,
    timeScale: clock.timeScaleFor(row.accountId),
  };
}

/** The bound enforcement puts on call ports: only stages 5 and 6 set one. */
export function enforcedCallPortLimit(stage: Stage, licensedCallPorts: number): number | null {
  return stage >= 5 ? callPortLimitAt(stage, licensedCallPorts) : null;
}

/**
 * A start-up or switchover check refused good standing, with no good check-in since: the status
 * warns at once, whatever the stage says.
 */
export function startedWithoutStanding(
  row: EnforcementServer | null,
  asOf: Date,
  lastGoodCheckIn: Date | null,
): boolean {
  const at = row?.standingWarningAt ?? null;
  if (!row?.applicable || at === null || at > asOf) return false;
  return lastGoodCheckIn === null || lastGoodCheckIn < at;
}

/**
 * The status at `asOf` (`clock`: the demo clock, as for the row's writes). `lastGoodCheckIn` must be the last good check-in at or before `asOf`
 * (the row's own when `asOf` is now); `standing` is the platform's verdict (see rules/standing.ts).
 */
export function statusView(
  row: EnforcementServer | null,
  asOf: Date,
  lastGoodCheckIn: Date | null,
  standing: StandingVerdict,
  clock: DemoClock = REAL_TIME,
): EnforcementStatus {
  const timeline = timelineOf(row, lastGoodCheckIn, clock);
  const status = computeStage({ ...timeline, now: asOf });
  const startupWarning = startedWithoutStanding(row, asOf, lastGoodCheckIn);
  const licensedCallPorts = row?.licensedCallPorts ?? 0;
  return {
    applicable: status.applicable,
    stage: status.stage,
    stageName: status.stageName,
    since: status.since,
    nextStageAt: status.nextStageAt,
    warning: startupWarning && status.warning === 'NONE' ? 'STATUS_BAR' : status.warning,
    startedWithoutGoodStanding: startupWarning,
    goodStanding: standing.goodStanding,
    standingRefusal: standing.goodStanding
      ? null
      : { code: ErrorCode.NOT_IN_GOOD_STANDING, reason: standing.reason, message: standing.message },
    supervisorEnabled: status.supervisorEnabled,
    callPortLimit: enforcedCallPortLimit(status.stage, licensedCallPorts),
    licensedCallPorts,
    lastGoodCheckIn,
    rampDate: timeline.applicable ? timeline.rampDate : null,
    gracePeriodDays: timeline.applicable ? timeline.graceDays : null,
    asOf,
  };
}
