import { graphqlRequest } from '@lic/shared';

/**
 * The enforcement side of `npm run demo`: the demo's virtual-cloud server (seeded demo-cloud-1)
 * checks in as a CIC server does, every twelve hours of its enforcement time. With `--enforcement`
 * it checks in once, then stops, so that its stages progress (in minutes on the demo clock of a
 * demo account, docs/domain.md "Demo accounts"); once it reaches stage 6 it checks in again after
 * `resumeAfterMs` and returns to stage 1, as the rules say.
 */

const DAY_MS = 86_400_000;
/** A server checks in every 12 hours: a fourteenth of a 7-day grace period. */
const CHECK_IN_HOURS = 12;
/** Whatever the clock, the demo checks in at most every minute and at least a second apart. */
const MAX_CHECK_IN_INTERVAL_MS = 60_000;
const MIN_CHECK_IN_INTERVAL_MS = 1000;
const LAST_STAGE = 6;

export interface EnforcementDemoOptions {
  /** The virtual-cloud server (name or id); default the seeded demo-cloud-1. */
  server?: string;
  /** Stop its check-ins after the first, so that the stages progress (`--enforcement`). */
  stopCheckIns: boolean;
  /** Once stage 6 is reached, check in again after this long (ms); null: never (default 30 s). */
  resumeAfterMs?: number | null;
}

export interface EnforcementStatusSeen {
  stage: number;
  stageName: string;
  since: string | null;
  nextStageAt: string | null;
  gracePeriodDays: number | null;
  goodStanding: boolean;
  standingRefusal: { reason: string; message: string } | null;
}

/** How the server's grace period runs, from a status just after a good check-in (stage 1). */
export interface ObservedClock {
  /** One grace period in real milliseconds. */
  graceMs: number;
  /** Enforcement time per real time (1 in real time; about DEMO_ENFORCEMENT_TIME_SCALE on the demo clock). */
  scale: number;
  /** Faster than real time: the server's account is a demo account. */
  fast: boolean;
}

/** Null when the status does not show a running grace period (not virtual cloud, or before the ramp date). */
export function observedClock(status: EnforcementStatusSeen): ObservedClock | null {
  if (status.stage !== 1 || !status.since || !status.nextStageAt || !status.gracePeriodDays) return null;
  const graceMs = Date.parse(status.nextStageAt) - Date.parse(status.since);
  if (!(graceMs > 0)) return null;
  const scale = (status.gracePeriodDays * DAY_MS) / graceMs;
  return { graceMs, scale, fast: scale >= 2 };
}

/** Every 12 hours of the server's enforcement time, between a second and a minute of real time. */
export function checkInIntervalMs(clock: ObservedClock | null): number {
  if (!clock) return MAX_CHECK_IN_INTERVAL_MS;
  const twelveHours = (CHECK_IN_HOURS * 3_600_000) / clock.scale;
  return Math.round(Math.min(MAX_CHECK_IN_INTERVAL_MS, Math.max(MIN_CHECK_IN_INTERVAL_MS, twelveHours)));
}

const STATUS_FIELDS = `stage stageName since nextStageAt gracePeriodDays goodStanding standingRefusal { reason message }`;
const CHECK_IN = `mutation($id: ID!) { checkIn(serverId: $id) { ${STATUS_FIELDS} } }`;
const OVERRIDE = `mutation($id: ID!, $reason: String!) { overrideGoodStanding(serverId: $id, reason: $reason) { ${STATUS_FIELDS} } }`;
const STATUS = `query($id: ID!) { enforcementStatus(serverId: $id) { ${STATUS_FIELDS} } }`;

export interface EnforcementDemoHandle {
  serverId: string;
  name: string;
  accountId: string;
  clock: ObservedClock | null;
  /** One step: a check-in when one is due, the stage watched while check-ins are stopped. */
  step(): Promise<void>;
  /** Checks the server in now (a returning server): back to stage 1. */
  checkIn(): Promise<EnforcementStatusSeen>;
  /** Whether check-ins are stopped right now. */
  readonly checkInsStopped: boolean;
}

export async function startEnforcementDemo(options: {
  gatewayUrl: string;
  adminToken: string;
  /** The server's own token for its check-ins; without one the demo grants good standing by hand. */
  serverToken?: string;
  server: { id: string; name: string; accountId: string };
  demo: EnforcementDemoOptions;
  log: (line: string) => void;
  now?: () => number;
}): Promise<EnforcementDemoHandle> {
  const { gatewayUrl, adminToken, serverToken, server, demo, log } = options;
  const now = options.now ?? Date.now;
  const resumeAfterMs = demo.resumeAfterMs === undefined ? 30_000 : demo.resumeAfterMs;
  const call = async (query: string, variables: Record<string, unknown>, token: string) => {
    const result = await graphqlRequest<Record<string, EnforcementStatusSeen>>(
      gatewayUrl,
      query,
      variables,
      token,
    );
    const error = result.errors?.[0];
    if (error) throw new Error(`${String(error.extensions?.['code'] ?? 'ERROR')}: ${error.message}`);
    return Object.values(result.data ?? {})[0]!;
  };
  const checkIn = async (): Promise<EnforcementStatusSeen> => {
    const status = serverToken
      ? await call(CHECK_IN, { id: server.id }, serverToken)
      : await call(OVERRIDE, { id: server.id, reason: 'npm run demo: the server checks in' }, adminToken);
    if (!status.goodStanding) {
      log(
        `${server.name}: check-in refused (${status.standingRefusal?.reason ?? 'no reason'}): ${status.standingRefusal?.message ?? ''}`,
      );
    }
    return status;
  };
  const describeStatus = (s: EnforcementStatusSeen) =>
    `stage ${s.stage} (${s.stageName})${s.nextStageAt ? `, next stage at ${s.nextStageAt}` : ''}`;

  const first = await checkIn();
  const clock = observedClock(first);
  const interval = checkInIntervalMs(clock);
  if (!clock) {
    log(
      `${server.name}: no grace period running (not virtual cloud, or before its ramp date): ${describeStatus(first)}`,
    );
  } else if (clock.fast) {
    log(
      `${server.name}: on the demo clock (a real second is ${Math.round(clock.scale)} s of enforcement time; ` +
        `grace period ${Math.round(clock.graceMs / 1000)} s); checked in: ${describeStatus(first)}`,
    );
  } else if (demo.stopCheckIns) {
    log(
      `${server.name} runs in real time: stage 2 would come only after ${first.gracePeriodDays ?? '?'} days. ` +
        `For the fast clock, restart the platform with DEMO_ENFORCEMENT_ACCOUNT_IDS=${server.accountId}`,
    );
  }

  let stopped = demo.stopCheckIns;
  let nextCheckInAt = now() + interval;
  let lastStage = first.stage;
  let reachedLastAt: number | undefined;
  if (stopped) log(`${server.name}: check-ins stopped, so the stages progress`);

  return {
    serverId: server.id,
    name: server.name,
    accountId: server.accountId,
    clock,
    get checkInsStopped() {
      return stopped;
    },
    checkIn,
    step: async () => {
      if (!stopped) {
        if (now() < nextCheckInAt) return;
        nextCheckInAt = now() + interval;
        const status = await checkIn();
        if (status.stage !== lastStage) log(`${server.name}: checked in, ${describeStatus(status)}`);
        lastStage = status.stage;
        return;
      }
      const status = await call(STATUS, { id: server.id }, adminToken);
      if (status.stage !== lastStage) log(`${server.name}: ${describeStatus(status)}`);
      lastStage = status.stage;
      if (status.stage < LAST_STAGE || resumeAfterMs === null) return;
      reachedLastAt ??= now();
      if (now() - reachedLastAt < resumeAfterMs) return;
      stopped = false;
      const back = await checkIn();
      lastStage = back.stage;
      nextCheckInAt = now() + interval;
      log(`${server.name}: check-ins resumed, ${describeStatus(back)}`);
    },
  };
}
