import { callPortLimitAt, computeStage, type Stage, type StageTimeline } from '../rules/stage.js';
import { type EnforcementServer } from './enforcement-server.entity.js';
import { type EnforcementStatus } from './enforcement-status.type.js';

/** What the stage rules need from a stored row; a server enforcement never heard of is never enforced. */
export function timelineOf(
  row: EnforcementServer | null,
  lastGoodCheckIn = row?.lastGoodCheckIn ?? null,
): StageTimeline {
  if (!row?.applicable) return { applicable: false, rampDate: null, graceDays: 0, lastGoodCheckIn };
  return { applicable: true, rampDate: row.rampDate, graceDays: row.graceDays, lastGoodCheckIn };
}

/** The bound enforcement puts on call ports: only stages 5 and 6 set one. */
export function enforcedCallPortLimit(stage: Stage, licensedCallPorts: number): number | null {
  return stage >= 5 ? callPortLimitAt(stage, licensedCallPorts) : null;
}

/**
 * The status at `asOf`. `lastGoodCheckIn` must be the last good check-in at or before `asOf`
 * (the row's own when `asOf` is now).
 */
export function statusView(
  row: EnforcementServer | null,
  asOf: Date,
  lastGoodCheckIn: Date | null,
): EnforcementStatus {
  const timeline = timelineOf(row, lastGoodCheckIn);
  const status = computeStage({ ...timeline, now: asOf });
  const licensedCallPorts = row?.licensedCallPorts ?? 0;
  return {
    applicable: status.applicable,
    stage: status.stage,
    stageName: status.stageName,
    since: status.since,
    nextStageAt: status.nextStageAt,
    warning: status.warning,
    supervisorEnabled: status.supervisorEnabled,
    callPortLimit: enforcedCallPortLimit(status.stage, licensedCallPorts),
    licensedCallPorts,
    lastGoodCheckIn,
    rampDate: timeline.applicable ? timeline.rampDate : null,
    gracePeriodDays: timeline.applicable ? timeline.graceDays : null,
    asOf,
  };
}
