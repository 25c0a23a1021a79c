import { DomainError, ErrorCode, type Principal, badInput, notFound } from '@lic/shared';
import { ruleError } from '../effects.js';
import { type DenialRecord } from '../pool/denials.js';
import { unlicensedLogon } from '../pool/limits.js';
import { type LogonInput, type LogonPlan, planLogon } from '../rules/licenses.js';
import { checkServerAccess } from '../server/access.js';
import { type CicUser } from '../user/user.entity.js';
import { type EventContext } from '../user/user.store.js';

/**
 * One logon as each of its attempts sees it: the request checked and its event time decided once,
 * before the first attempt (SessionService.logon), and what earlier attempts found taken.
 */
export interface LogonAttempt {
  principal: Principal | undefined;
  serverId: string;
  userId: string;
  /** Trimmed, 1 to 100 characters. */
  application: string;
  stationId: string | null;
  /** The dynamic remote number, a phone number; null for a logon at a configured station alone. */
  phone: string | null;
  /** From the telephone, without a client application (see LogonInput.telephoneOnly). */
  telephoneOnly: boolean;
  at: Date;
  /** Pools an earlier attempt found full when it committed: this one plans without them. */
  unavailable: ReadonlySet<string>;
}

/** What a logon read, once checked: its server and user exist. */
export type LogonContext = EventContext & {
  server: NonNullable<EventContext['server']>;
  user: CicUser;
};

/**
 * The server, user and station exist, the caller may act for the server, and the station is
 * enabled: otherwise the logon is refused before anything is planned (and nothing is recorded).
 */
export function assertLogonContext(read: EventContext, attempt: LogonAttempt): asserts read is LogonContext {
  const { server, user, station } = read;
  if (!server) throw notFound('Server', attempt.serverId);
  checkServerAccess(attempt.principal, server, 'machine');
  if (!user) throw notFound('CicUser', attempt.userId);
  if (attempt.stationId !== null && !station) throw notFound('Station', attempt.stationId);
  if (station && !station.enabled) throw badInput('The station is disabled', 'stationId');
}

/** What the logon does, decided from what was read; nothing is written yet. */
export type LogonStep =
  /** Refused outright: nothing is acquired; the denials are recorded once the transaction rolled back. */
  | { kind: 'refused'; error: DomainError; denials: DenialRecord[] }
  /** The user already runs this application at this station: the same session, counts unchanged. */
  | { kind: 'running'; sessionId: string }
  | PlannedLogon;

export interface PlannedLogon {
  kind: 'planned';
  plan: LogonPlan;
  /** What the plan left out, as recorded for the denial report. */
  denials: DenialRecord[];
  /** The user is logged on at another station (or number): those sessions end, replaced. */
  elsewhere: boolean;
}

function denialOf(
  user: CicUser,
  attempt: LogonAttempt,
  key: string,
  reason: DenialRecord['reason'],
): DenialRecord {
  return { key, reason, userId: user.id, stationId: attempt.stationId, application: attempt.application };
}

/**
 * The logon's plan (rules/logon.ts) from what was read, without locks: which pools to take and
 * what is left out. A plan is a proposal: the pools' conditional update at the end has the last
 * word (a pool that filled meanwhile makes the logon start again without it).
 */
export function planLogonAttempt(read: LogonContext, attempt: LogonAttempt, receivedAt: Date): LogonStep {
  const refused = refusedOutright(read, attempt, receivedAt);
  if (refused) return refused;
  const { user } = read;
  const { stationId, phone, application, unavailable } = attempt;
  // Logging on at another station (or another dynamic number) logs the user off the previous one.
  const elsewhere =
    user.loggedOnAt !== null &&
    (user.stationId !== stationId || user.dynamicPhone !== phone) &&
    user.sessions.length > 0;
  const existing = elsewhere ? undefined : user.sessions.find((s) => s.application === application);
  if (existing) return { kind: 'running', sessionId: existing.id };

  const planInput = logonInput(read, attempt);
  const room = read.pools;
  const available = (key: string): boolean => !unavailable.has(key) && room.get(key) === 'room';
  const decision = planLogon({ ...planInput, available });
  if (!decision.ok) {
    // The denials name what the logon would have taken and found full.
    const wanted = planLogon({ ...planInput, available: () => true });
    const denied = wanted.ok ? wanted.acquire.filter((key) => !available(key)) : [];
    return {
      kind: 'refused',
      error: ruleError(decision),
      denials: denied.map((key) => denialOf(user, attempt, key, 'EXHAUSTED')),
    };
  }
  const denials = decision.denied.map((d) =>
    denialOf(user, attempt, d.key, d.reason === 'SUPERVISOR_DISABLED' ? 'SUPERVISOR_DISABLED' : 'EXHAUSTED'),
  );
  return { kind: 'planned', plan: decision, denials, elsewhere };
}

/** A server that accepts no logon at all: the standby of a pair, or one without a licence. */
function refusedOutright(read: LogonContext, attempt: LogonAttempt, receivedAt: Date): LogonStep | undefined {
  const { server, user } = read;
  // A switchover pair is one unit: only its active member accepts logons. The refusal is
  // recorded and counted as a denial of client access, so that supervisors see it and why.
  if (server.standby) {
    return {
      kind: 'refused',
      error: new DomainError(
        ErrorCode.SERVER_STANDBY,
        'This server is the standby member of its switchover pair: only the active member accepts logons',
        { serverId: server.id },
      ),
      denials: [denialOf(user, attempt, 'I3_ACCESS_CLIENT', 'SERVER_STANDBY')],
    };
  }
  // Unlicensed (stage 6, or the file expired, even before the expiry scheduler ran): nothing is acquired.
  // The refusal is recorded, so that supervisors see why (the denial report, the client access line).
  const unlicensed = unlicensedLogon(server, receivedAt);
  if (unlicensed) {
    return {
      kind: 'refused',
      error: unlicensed.error,
      denials: [denialOf(user, attempt, 'I3_ACCESS_CLIENT', unlicensed.reason)],
    };
  }
  return undefined;
}

/** What the logon rules need to know of the user, station and server (all but the pools' room). */
function logonInput(read: LogonContext, attempt: LogonAttempt): Omit<LogonInput, 'available'> {
  const { server, user, station } = read;
  return {
    user: { allocationMethod: user.allocationMethod, licenses: user.licenses },
    station: station
      ? { kind: station.kind as NonNullable<LogonInput['station']>['kind'], licenses: station.licenses }
      : null,
    dynamicRemote: attempt.phone !== null,
    telephoneOnly: attempt.telephoneOnly,
    alreadyHeld: user.held,
    supervisorDisabled: server.supervisorDisabled,
    ...(user.queuedMediaTypes.length > 0
      ? {
          acd: {
            queuedTypes: user.queuedMediaTypes,
            ...(user.chosenMediaTypes ? { chosenTypes: user.chosenMediaTypes } : {}),
          },
        }
      : {}),
  };
}
