import type { ErrorCode } from '@lic/shared';

/*
 * Virtual cloud enforcement (docs/domain.md section 4) as pure arithmetic over one server's timeline.
 * The service feeds it what it stored (licence ramp date and grace period, last good check-in)
 * and a time from the injected clock; nothing here reads a clock or a database.
 *
 * Only types come from @lic/shared: its barrel pulls in the database, auth and bus stacks, and
 * these rules must load (and be table-tested) without any of them.
 */

const DAY_MS = 24 * 60 * 60 * 1000;
const BAD_USER_INPUT = 'BAD_USER_INPUT' satisfies ErrorCode;

export type Stage = 1 | 2 | 3 | 4 | 5 | 6;

export const STAGE_NAMES = [
  'FULLY_FUNCTIONAL',
  'WARNING',
  'OBTRUSIVE_WARNING',
  'SUPERVISOR_DISABLED',
  'CALL_PORTS_LIMITED',
  'UNLICENSED',
] as const;
export type StageName = (typeof STAGE_NAMES)[number];

export type EnforcementWarning = 'NONE' | 'STATUS_BAR' | 'OBTRUSIVE';

export const FIRST_STAGE: Stage = 1;
export const LAST_STAGE: Stage = 6;

/** An unlicensed CIC server still has two call ports: the floor of stages 5 and 6 (capped at the licensed count). */
export const UNLICENSED_CALL_PORTS = 2;

/** What is known about a server, independent of the moment asked about. */
export interface StageTimeline {
  /** The server's licence holds I3_FEATURE_VIRTUAL_CLOUD. */
  applicable: boolean;
  /** Required when applicable; ignored otherwise (a non-cloud licence has none). */
  rampDate: Date | null;
  /** Required when applicable: a positive whole number of days. */
  graceDays: number;
  /** The latest successful check-in at or before `now`; null if the server never checked in. */
  lastGoodCheckIn: Date | null;
  /**
   * How many times faster than real time the grace period runs: 1 (the default) for every real
   * server; more only on a demo account's server (rules/demo-clock.ts). From the anchor on, each
   * real millisecond counts as `timeScale` of enforcement time, so every stage begins at a real
   * instant `grace / timeScale` after the previous one.
   */
  timeScale?: number;
}

export interface StageInput extends StageTimeline {
  now: Date;
}

export interface StageStatus {
  applicable: boolean;
  stage: Stage;
  stageName: StageName;
  /**
   * When the current stage began. Stages 2..6 begin at an exact, derivable instant. For stage 1
   * after the ramp date it is the anchor (the ramp date or the check-in that started the
   * current grace period). Null while no grace period runs: before the ramp date (enforcement
   * has not started) and for servers that are never enforced.
   */
  since: Date | null;
  /** When the next stage begins if no good check-in arrives first; null at stage 6 or when not applicable. */
  nextStageAt: Date | null;
  warning: EnforcementWarning;
  supervisorEnabled: boolean;
  callPortLimit(licensedCallPorts: number): number;
}

export interface StageTransition {
  from: Stage;
  to: Stage;
  at: Date;
}

export interface RuleViolation {
  code: ErrorCode;
  message: string;
  field: string;
}

/**
 * Thrown for input that breaks a guard. It carries `extensions.code` the way DomainError does,
 * so graphql-js copies the stable code onto the located error even if a service lets it escape;
 * services that prefer DomainError build one from `violation`.
 */
export class StageRuleError extends Error {
  readonly code: ErrorCode;
  readonly extensions: { code: ErrorCode; field: string };

  constructor(readonly violation: RuleViolation) {
    super(violation.message);
    this.name = 'StageRuleError';
    this.code = violation.code;
    this.extensions = { code: violation.code, field: violation.field };
  }
}

const isStage = (n: number): n is Stage => Number.isInteger(n) && n >= FIRST_STAGE && n <= LAST_STAGE;

const isValidDate = (value: unknown): value is Date =>
  value instanceof Date && !Number.isNaN(value.getTime());

const badInput = (field: string, message: string): RuleViolation => ({
  code: BAD_USER_INPUT,
  message,
  field,
});

export function stageName(stage: Stage): StageName {
  return STAGE_NAMES[stage - 1];
}

/** Stage 3 and beyond keep the obtrusive warning: an administrator must not lose it as things get worse. */
export function warningFor(stage: Stage): EnforcementWarning {
  if (stage === 1) return 'NONE';
  if (stage === 2) return 'STATUS_BAR';
  return 'OBTRUSIVE';
}

export function supervisorEnabledAt(stage: Stage): boolean {
  return stage < 4;
}

/**
 * Enforcement only lowers the licensed bound (docs/domain.md section 2, call ports), so a server
 * licensed for fewer than two ports never gains ports by being in arrears. Integer division
 * instead of `0.2 *` keeps floating point out of a licence count.
 */
export function callPortLimitAt(stage: Stage, licensedCallPorts: number): number {
  if (!Number.isSafeInteger(licensedCallPorts) || licensedCallPorts < 0) {
    throw new StageRuleError(
      badInput(
        'licensedCallPorts',
        `licensedCallPorts must be a non-negative integer, got ${String(licensedCallPorts)}`,
      ),
    );
  }
  if (stage === 5) {
    return Math.min(licensedCallPorts, Math.max(UNLICENSED_CALL_PORTS, Math.floor(licensedCallPorts / 5)));
  }
  if (stage === 6) return Math.min(licensedCallPorts, UNLICENSED_CALL_PORTS);
  return licensedCallPorts;
}

/** Guard clauses in a fixed order; the first broken one is returned. */
export function validateStageTimeline(timeline: StageTimeline): RuleViolation | null {
  if (typeof timeline.applicable !== 'boolean') {
    return badInput('applicable', 'applicable must be a boolean');
  }
  // A server without virtual-cloud licensing may carry no ramp date or grace period at all.
  if (!timeline.applicable) return null;
  if (!isValidDate(timeline.rampDate)) {
    return badInput('rampDate', 'A virtual-cloud licence needs a valid ramp date');
  }
  if (!Number.isSafeInteger(timeline.graceDays) || timeline.graceDays <= 0) {
    return badInput(
      'graceDays',
      `graceDays must be a positive whole number of days, got ${String(timeline.graceDays)}`,
    );
  }
  if (timeline.lastGoodCheckIn !== null && !isValidDate(timeline.lastGoodCheckIn)) {
    return badInput('lastGoodCheckIn', 'lastGoodCheckIn must be a valid date or null');
  }
  const scale = timeline.timeScale ?? 1;
  if (!Number.isSafeInteger(scale) || scale < 1) {
    return badInput('timeScale', `timeScale must be a whole number of at least 1, got ${String(scale)}`);
  }
  return null;
}

export function validateStageInput(input: StageInput): RuleViolation | null {
  if (!isValidDate(input.now)) return badInput('now', 'now must be a valid date');
  const timelineViolation = validateStageTimeline(input);
  if (timelineViolation) return timelineViolation;
  // The status at `now` cannot depend on a check-in that has not happened yet: for an `asOf`
  // question the caller must pass the last check-in at or before that instant.
  if (input.applicable && input.lastGoodCheckIn !== null && input.lastGoodCheckIn > input.now) {
    return badInput(
      'lastGoodCheckIn',
      'lastGoodCheckIn is after now: pass the last good check-in at or before now',
    );
  }
  return null;
}

const throwIfInvalid = (violation: RuleViolation | null): void => {
  if (violation) throw new StageRuleError(violation);
};

/** One grace period in real milliseconds (never under 1 ms, however fast a demo clock runs). */
const graceMs = (timeline: StageTimeline): number =>
  Math.max(1, Math.round((timeline.graceDays * DAY_MS) / (timeline.timeScale ?? 1)));

/** The start of the current grace period: a check-in before the ramp date does not postpone enforcement. */
const anchorOf = (timeline: StageTimeline): number => {
  const ramp = (timeline.rampDate as Date).getTime();
  const checkIn = timeline.lastGoodCheckIn?.getTime() ?? Number.NEGATIVE_INFINITY;
  return Math.max(ramp, checkIn);
};

/** The instant stage `stage` (2..6) begins on this timeline. */
const stageStart = (timeline: StageTimeline, stage: Stage): number =>
  anchorOf(timeline) + (stage - 1) * graceMs(timeline);

const statusOf = (
  applicable: boolean,
  stage: Stage,
  since: number | null,
  nextStageAt: number | null,
): StageStatus => ({
  applicable,
  stage,
  stageName: stageName(stage),
  since: since === null ? null : new Date(since),
  nextStageAt: nextStageAt === null ? null : new Date(nextStageAt),
  warning: warningFor(stage),
  supervisorEnabled: supervisorEnabledAt(stage),
  callPortLimit: (licensedCallPorts: number) => callPortLimitAt(stage, licensedCallPorts),
});

export function computeStage(input: StageInput): StageStatus {
  throwIfInvalid(validateStageInput(input));
  if (!input.applicable) return statusOf(false, FIRST_STAGE, null, null);

  const now = input.now.getTime();
  const ramp = (input.rampDate as Date).getTime();
  if (now < ramp) return statusOf(true, FIRST_STAGE, null, ramp + graceMs(input));

  const anchor = anchorOf(input);
  const elapsedPeriods = Math.floor((now - anchor) / graceMs(input));
  const stage = Math.min(LAST_STAGE, FIRST_STAGE + elapsedPeriods);
  if (!isStage(stage)) throw new RangeError(`computed stage ${stage} is out of range`);

  const since = stage === FIRST_STAGE ? anchor : stageStart(input, stage);
  const nextStage = stage + 1;
  const nextStageAt = isStage(nextStage) ? stageStart(input, nextStage) : null;
  return statusOf(true, stage, since, nextStageAt);
}

/** Every stage but the first is reached by time alone. */
const SCHEDULED_STAGES: readonly Stage[] = [2, 3, 4, 5, 6];

/**
 * The scheduled stage changes of a timeline in the half-open window (from, to]: a scheduler
 * that ticks over consecutive windows sees each transition exactly once, and a transition that
 * falls on a tick boundary belongs to the window it ends. A good check-in is not scheduled:
 * it starts a new timeline, and its return to stage 1 is emitted by whoever records it.
 */
export function stageTransitionsBetween(timeline: StageTimeline, from: Date, to: Date): StageTransition[] {
  if (!isValidDate(from)) throwIfInvalid(badInput('from', 'from must be a valid date'));
  if (!isValidDate(to)) throwIfInvalid(badInput('to', 'to must be a valid date'));
  throwIfInvalid(validateStageTimeline(timeline));
  if (to < from) throwIfInvalid(badInput('to', 'to must not be before from'));
  if (!timeline.applicable) return [];

  const transitions: StageTransition[] = [];
  for (const stage of SCHEDULED_STAGES) {
    const at = stageStart(timeline, stage);
    if (at > from.getTime() && at <= to.getTime()) {
      transitions.push({ from: (stage - 1) as Stage, to: stage, at: new Date(at) });
    }
  }
  return transitions;
}
