import {
  ANALYZER,
  BASIC_STATION,
  FEATURE_ANALYZER_REALTIME,
  FEATURE_RECORDER,
  IPA_LEVELS,
  RECORDER,
  distinctLicenses,
  ipaLevel,
  isConcurrentKey,
  isFeatureKey,
  isStationOnlyKey,
  isUserOnlyKey,
  isWellFormedKey,
  licenseOf,
} from './keys.js';
import {
  ALLOCATION_METHODS,
  STATION_KINDS,
  isAllocationMethod,
  isStationKind,
  type AllocationMethod,
  type StationKind,
} from './model.js';
import { violation, type RuleViolation } from './violation.js';

/*
 * The configuration rules of docs/domain.md section 2 (what Interaction Administrator refuses when a
 * user or station is saved). Each validator is a list of guard clauses in a fixed order; the
 * first broken one decides the code, so a partner sees the same code for the same input.
 *
 * Stored form: a user's or station's licences are canonical base keys (I3_ACCESS_CLIENT, never
 * I3_CLIENT_ACCESS or a `_CONCURRENT` key). The user's allocation method, not the key, says
 * which pool they come from: a CONCURRENT user configured with I3_ACCESS_CLIENT acquires
 * I3_ACCESS_CLIENT_CONCURRENT at logon. So a `_CONCURRENT` key given to a CONCURRENT user is
 * read as its base key, while one given to an ASSIGNED user contradicts the user's method.
 */

export * from './keys.js';
export * from './model.js';
export * from './violation.js';
export * from './acd-media.js';
export * from './pools.js';
export * from './logon.js';
export * from './calls.js';

export const AUDIO_INACTIVE_WARNING = 'Audio is inactive: station has no I3_LICENSE_BASIC_STATION licence';

/** Access licences that are refused without others on the same user or station. */
export const PREREQUISITES: readonly { license: string; requires: readonly string[] }[] = [
  { license: ANALYZER, requires: [RECORDER] },
];

/** Access licences that are refused unless the server's file holds these features. */
export const SERVER_PREREQUISITES: readonly { license: string; requires: readonly string[] }[] = [
  { license: ANALYZER, requires: [FEATURE_ANALYZER_REALTIME, FEATURE_RECORDER] },
];

export interface LicensesAccepted {
  ok: true;
  /** What to store: canonical base keys, distinct, in the order given. */
  licenses: string[];
  warnings: string[];
}

export type LicenseValidation = LicensesAccepted | RuleViolation;

export interface UserLicensesInput {
  allocationMethod: AllocationMethod;
  licenses: readonly string[];
}

export interface StationLicensesInput {
  kind: StationKind;
  licenses: readonly string[];
  enabled: boolean;
}

/** Shape checks shared by users and stations: a list of well-formed, non-feature keys. */
function checkKeyShapes(licenses: readonly string[]): RuleViolation | null {
  if (!Array.isArray(licenses)) {
    return violation('BAD_USER_INPUT', 'licenses must be a list of licence keys', { field: 'licenses' });
  }
  for (const key of licenses) {
    if (typeof key !== 'string' || !isWellFormedKey(key)) {
      return violation('BAD_USER_INPUT', `${String(key)} is not a licence key`, {
        field: 'licenses',
        key: String(key),
      });
    }
  }
  const feature = licenses.find(isFeatureKey);
  if (feature !== undefined) {
    return violation(
      'BAD_USER_INPUT',
      `${feature} is a server feature and cannot be given to a user or station`,
      {
        field: 'licenses',
        key: feature,
      },
    );
  }
  return null;
}

/** The first prerequisite the licences lack, if any. */
export function checkPrerequisites(licenses: readonly string[]): RuleViolation | null {
  const held = new Set(distinctLicenses(licenses));
  for (const { license, requires } of PREREQUISITES) {
    if (!held.has(license)) continue;
    const missing = requires.find((required) => !held.has(required));
    if (missing !== undefined) {
      return violation('MISSING_PREREQUISITE', `${license} requires ${missing}`, { key: missing });
    }
  }
  return null;
}

/** Server features an assignment needs; the service calls it with the keys of the server's file. */
export function checkServerPrerequisites(
  licenses: readonly string[],
  serverKeys: readonly string[],
): RuleViolation | null {
  const held = new Set(distinctLicenses(licenses));
  const features = new Set(serverKeys.map(licenseOf));
  for (const { license, requires } of SERVER_PREREQUISITES) {
    if (!held.has(license)) continue;
    const missing = requires.find((required) => !features.has(required));
    if (missing !== undefined) {
      return violation('MISSING_PREREQUISITE', `${license} requires the server feature ${missing}`, {
        key: missing,
      });
    }
  }
  return null;
}

/** A lower IPA level next to a higher one still consumes a licence while adding nothing. */
function ipaRedundancyWarnings(licenses: readonly string[]): string[] {
  const highest = ipaLevel(licenses);
  if (highest === null) return [];
  const included = IPA_LEVELS.slice(0, IPA_LEVELS.indexOf(highest));
  return included
    .filter((lower) => licenses.includes(lower))
    .map((lower) => `${lower} is redundant: ${highest} includes it`);
}

export function validateUserLicenses(input: UserLicensesInput): LicenseValidation {
  if (!isAllocationMethod(input.allocationMethod)) {
    return violation('BAD_USER_INPUT', `allocationMethod must be one of ${ALLOCATION_METHODS.join(', ')}`, {
      field: 'allocationMethod',
    });
  }
  const shape = checkKeyShapes(input.licenses);
  if (shape) return shape;

  const stationOnly = input.licenses.find(isStationOnlyKey);
  if (stationOnly !== undefined) {
    return violation('STATION_ONLY_LICENSE', `${BASIC_STATION} can only be allocated to stations`, {
      key: stationOnly,
    });
  }
  const concurrent = input.licenses.find(isConcurrentKey);
  if (input.allocationMethod === 'ASSIGNED' && concurrent !== undefined) {
    return violation(
      'ALLOCATION_METHOD_CONFLICT',
      `${concurrent} is a concurrent licence but the user's licences are ASSIGNED; a user's licences are all ASSIGNED or all CONCURRENT`,
      { key: concurrent },
    );
  }
  const prerequisite = checkPrerequisites(input.licenses);
  if (prerequisite) return prerequisite;

  const licenses = distinctLicenses(input.licenses);
  return { ok: true, licenses, warnings: ipaRedundancyWarnings(licenses) };
}

export function validateStationLicenses(input: StationLicensesInput): LicenseValidation {
  if (!isStationKind(input.kind)) {
    return violation('BAD_USER_INPUT', `kind must be one of ${STATION_KINDS.join(', ')}`, { field: 'kind' });
  }
  if (typeof input.enabled !== 'boolean') {
    return violation('BAD_USER_INPUT', 'enabled must be a boolean', { field: 'enabled' });
  }
  const shape = checkKeyShapes(input.licenses);
  if (shape) return shape;

  const concurrent = input.licenses.find(isConcurrentKey);
  if (concurrent !== undefined) {
    return violation(
      'CONCURRENT_NOT_ALLOWED_FOR_STATIONS',
      `Stations take assigned licences only, not ${concurrent}`,
      {
        key: concurrent,
      },
    );
  }
  // No stable code says "user only"; BAD_USER_INPUT with the key keeps it machine-readable.
  const userOnly = input.licenses.find(isUserOnlyKey);
  if (userOnly !== undefined) {
    return violation('BAD_USER_INPUT', `${licenseOf(userOnly)} is a user licence only`, {
      field: 'licenses',
      key: userOnly,
    });
  }
  // The reference lists every kind but dynamic remote as taking an assigned Basic Station:
  // a dynamic remote logon takes one from the pool when it happens.
  const basicStation = input.licenses.find(isStationOnlyKey);
  if (input.kind === 'DYNAMIC_REMOTE' && basicStation !== undefined) {
    return violation(
      'BAD_USER_INPUT',
      `A dynamic remote station takes ${BASIC_STATION} at logon; it cannot be assigned one`,
      { field: 'licenses', key: basicStation },
    );
  }
  const prerequisite = checkPrerequisites(input.licenses);
  if (prerequisite) return prerequisite;

  const licenses = distinctLicenses(input.licenses);
  const warnings = ipaRedundancyWarnings(licenses);
  if (input.enabled && input.kind !== 'DYNAMIC_REMOTE' && basicStation === undefined) {
    warnings.unshift(AUDIO_INACTIVE_WARNING);
  }
  return { ok: true, licenses, warnings };
}
