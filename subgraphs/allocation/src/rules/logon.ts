import { filterQueuedTypes } from './acd-media.js';
import {
  ACD_MEDIA_1,
  ACD_MEDIA_2,
  ACD_MEDIA_3_PLUS,
  BASIC_STATION,
  CLIENT_ACCESS,
  canonicalKey,
  capabilitiesOf,
  concurrentTwin,
  distinctLicenses,
  isClientAccessKey,
  isConcurrentKey,
  isStationOnlyKey,
  isSupervisorKey,
  licenseOf,
} from './keys.js';
import { isAllocationMethod, isStationKind, type AllocationMethod, type StationKind } from './model.js';
import { violation, type RuleViolation } from './violation.js';

/*
 * What a logon takes (docs/domain.md section 2, "Logon" and "Dynamic remote station"). The plan is
 * computed from a snapshot; the service applies it under its lock and re-checks each pool, so a
 * plan is a proposal, never a reservation.
 *
 * Assigned licences (an ASSIGNED user's, any station's) were taken when they were assigned, so
 * a logon only uses them. What a logon takes from pools is a CONCURRENT user's `_CONCURRENT`
 * twins and a dynamic remote's Basic Station.
 */

export interface LogonUser {
  allocationMethod: AllocationMethod;
  /** The user's configured licences (base keys; see validateUserLicenses). */
  licenses: readonly string[];
}

export interface LogonStation {
  kind: StationKind;
  licenses: readonly string[];
}

export interface LogonInput {
  user: LogonUser;
  /** The configured station logged on at; absent for a phone-number-only dynamic remote logon. */
  station?: LogonStation | null;
  dynamicRemote: boolean;
  /**
   * The logon comes from the telephone, with no client application (a phone-only ACD agent):
   * it needs ACD access instead of client access, and takes no client access of its own.
   */
  telephoneOnly?: boolean;
  /**
   * Pool keys the user's live sessions already hold (`_CONCURRENT` twins, a dynamic remote's
   * Basic Station). Assigned licences are not listed: they belong to the assignment.
   */
  alreadyHeld: readonly string[];
  /** Whether the pool of this (canonical) key admits one more holder now. */
  available: (key: string) => boolean;
  /** Enforcement stage 4 or beyond. */
  supervisorDisabled: boolean;
  /** The interaction types the user's workgroup queues carry, and an administrator's choice. */
  acd?: { queuedTypes: readonly string[]; chosenTypes?: readonly string[] };
}

export type DenialReason = 'EXHAUSTED' | 'SUPERVISOR_DISABLED';

export interface Denial {
  /** The pool key that could not be had: the twin for a concurrent user, else the licence. */
  key: string;
  reason: DenialReason;
}

export interface LogonPlan {
  ok: true;
  /** Pool keys to take now. */
  acquire: string[];
  /** Pool keys the user already holds and keeps using: counts do not rise. */
  reuse: string[];
  /** Pool keys the user holds that this session no longer uses (e.g. supervisor twins at stage 4). */
  release: string[];
  /** Licences left out of the session; the logon goes ahead without them. */
  denied: Denial[];
  /** The licences the session has: the union of user, station and what was taken, with IPA inclusion. */
  capabilities: string[];
  /** Present when `acd` was given: the interaction types the user will be queued. */
  queuedTypes?: string[];
  warnings: string[];
}

export type LogonDecision = LogonPlan | RuleViolation;

/** The ACD access licences: any of them lets a telephone-only logon monitor ACD queues. */
export const ACD_ACCESS_KEYS: readonly string[] = [ACD_MEDIA_1, ACD_MEDIA_2, ACD_MEDIA_3_PLUS];

/** Pool keys whose holding is a logon's business, as opposed to an assignment's. */
const isSessionPoolKey = (key: string): boolean => isConcurrentKey(key) || isStationOnlyKey(key);

function checkShape(input: LogonInput): RuleViolation | null {
  if (!isAllocationMethod(input.user.allocationMethod)) {
    return violation('BAD_USER_INPUT', 'The user has no valid allocation method', {
      field: 'user.allocationMethod',
    });
  }
  if (input.station && !isStationKind(input.station.kind)) {
    return violation('BAD_USER_INPUT', 'The station has no valid kind', { field: 'station.kind' });
  }
  if (input.dynamicRemote && input.station && input.station.kind !== 'DYNAMIC_REMOTE') {
    return violation('BAD_USER_INPUT', `A dynamic remote logon cannot use a ${input.station.kind} station`, {
      field: 'dynamicRemotePhone',
    });
  }
  return null;
}

export function planLogon(input: LogonInput): LogonDecision {
  const shape = checkShape(input);
  if (shape) return shape;

  const held = new Set(input.alreadyHeld.map(canonicalKey));
  const acquire: string[] = [];
  const reuse: string[] = [];
  const denied: Denial[] = [];
  const deny = (key: string, reason: DenialReason): void => {
    if (!denied.some((d) => d.key === key)) denied.push({ key, reason });
  };
  const take = (key: string): boolean => {
    if (held.has(key)) reuse.push(key);
    else if (input.available(key)) acquire.push(key);
    else return false;
    return true;
  };
  const keep = (licenses: Iterable<string>): string[] => {
    const kept: string[] = [];
    for (const license of licenses) {
      if (input.supervisorDisabled && isSupervisorKey(license)) {
        deny(license, 'SUPERVISOR_DISABLED');
      } else {
        kept.push(license);
      }
    }
    return kept;
  };

  const dynamicRemote = input.dynamicRemote || input.station?.kind === 'DYNAMIC_REMOTE';
  const telephoneOnly = input.telephoneOnly === true;
  if (dynamicRemote && !take(BASIC_STATION)) {
    return violation(
      'DYNAMIC_REMOTE_REJECTED',
      `No ${BASIC_STATION} licence is free for a dynamic remote logon`,
      {
        key: BASIC_STATION,
      },
    );
  }

  const stationLicenses = keep(capabilitiesOf(input.station?.licenses ?? []));
  const stationProvides = new Set(stationLicenses);
  const userLicenses = distinctLicenses(input.user.licenses).filter((license) => !isStationOnlyKey(license));

  let userProvides: string[];
  if (input.user.allocationMethod === 'ASSIGNED') {
    userProvides = keep(userLicenses);
  } else {
    userProvides = [];
    for (const license of userLicenses) {
      const twin = concurrentTwin(license);
      if (input.supervisorDisabled && isSupervisorKey(license)) {
        deny(twin, 'SUPERVISOR_DISABLED');
        continue;
      }
      // A twin already held is kept even where the station provides the licence: giving it
      // back and taking it again on the next logon would only churn the counts.
      if (!held.has(twin) && stationProvides.has(license)) continue;
      // A telephone has no client application: it takes no client access, but keeps one that
      // the user's client sessions at this station hold.
      if (telephoneOnly && isClientAccessKey(license) && !held.has(twin)) continue;
      if (take(twin)) userProvides.push(license);
      else deny(twin, 'EXHAUSTED');
    }
  }

  const capabilities = capabilitiesOf([...stationLicenses, ...userProvides]);
  if (dynamicRemote) capabilities.add(BASIC_STATION);
  // The reference: "If a user logs on to a remote station, that station also must acquire a
  // Client Access license": the station's own, whatever the user holds.
  if (input.station?.kind === 'REMOTE' && !stationProvides.has(CLIENT_ACCESS)) {
    return violation(
      'CLIENT_ACCESS_UNAVAILABLE',
      `A remote station needs its own ${CLIENT_ACCESS} licence: assign one to the station`,
      { key: CLIENT_ACCESS, field: 'stationId' },
    );
  }
  // ACD access "allows workstations to monitor ACD queues for telephone calls only without the
  // CIC client workstation software": a telephone-only logon needs ACD access, not client access.
  if (telephoneOnly && !ACD_ACCESS_KEYS.some((key) => capabilities.has(key))) {
    return violation(
      'CLIENT_ACCESS_UNAVAILABLE',
      `A telephone-only logon needs ACD access (${ACD_ACCESS_KEYS.join(', ')}) from the user or the station`,
      { key: ACD_MEDIA_1, field: 'telephoneOnly' },
    );
  }
  // The reference: a dynamic remote logon needs no client access; every other logon does.
  if (!dynamicRemote && !telephoneOnly && !capabilities.has(CLIENT_ACCESS)) {
    return violation(
      'CLIENT_ACCESS_UNAVAILABLE',
      `No ${CLIENT_ACCESS} licence can be had from the user or the station`,
      { key: CLIENT_ACCESS },
    );
  }

  const using = new Set([...acquire, ...reuse]);
  const release = [...held].filter((key) => isSessionPoolKey(key) && !using.has(key));
  const warnings = denialWarnings(denied);
  const plan: LogonPlan = {
    ok: true,
    acquire,
    reuse,
    release,
    denied,
    capabilities: [...capabilities],
    warnings,
  };
  if (input.acd) {
    const queued = filterQueuedTypes(plan.capabilities, input.acd.queuedTypes, input.acd.chosenTypes);
    plan.queuedTypes = queued.allowed;
    if (queued.warning) warnings.push(queued.warning);
  }
  return plan;
}

function denialWarnings(denied: readonly Denial[]): string[] {
  const exhausted = denied.filter((d) => d.reason === 'EXHAUSTED').map((d) => d.key);
  const supervisor = denied.filter((d) => d.reason === 'SUPERVISOR_DISABLED').map((d) => licenseOf(d.key));
  const warnings = exhausted.map((key) => `No ${key} licence is available: it is left out of this session`);
  if (supervisor.length > 0) {
    warnings.push(
      `Supervisor licences are disabled by virtual cloud enforcement: ${[...new Set(supervisor)].join(', ')} left out of this session`,
    );
  }
  return warnings;
}
