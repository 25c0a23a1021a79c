/*
 * Licence key vocabulary (docs/domain.md sections 1-3). Keys are plain strings because activation
 * files carry keys this code has never heard of; only the keys a rule depends on are named.
 */

export const CONCURRENT_SUFFIX = '_CONCURRENT';

export const BASIC_STATION = 'I3_LICENSE_BASIC_STATION';
/** The part catalogue grants this spelling, so it is the one pools and results use. */
export const CLIENT_ACCESS = 'I3_ACCESS_CLIENT';
/** The reference's other spelling of the same licence (docs/domain.md section 3). */
export const CLIENT_ACCESS_ALIAS = 'I3_CLIENT_ACCESS';

export const ANALYZER = 'I3_ACCESS_ANALYZER';
export const RECORDER = 'I3_ACCESS_RECORDER';
export const FEATURE_ANALYZER_REALTIME = 'I3_FEATURE_ANALYZER_REALTIME';
export const FEATURE_RECORDER = 'I3_FEATURE_RECORDER';

export const ACD_MEDIA_1 = 'I3_ACCESS_ACD_MEDIA_1';
export const ACD_MEDIA_2 = 'I3_ACCESS_ACD_MEDIA_2';
export const ACD_MEDIA_3_PLUS = 'I3_ACCESS_ACD_MEDIA_3_PLUS';

/**
 * Interaction Process Automation, lowest first: each level includes those before it. The
 * reference names the levels but not their keys; these names are ours and follow the
 * I3_ACCESS_<product>_<level> pattern of the other access keys.
 */
export const IPA_LEVELS = [
  'I3_ACCESS_IPA_DIRECT_ROUTED',
  'I3_ACCESS_IPA_GROUP_ROUTED',
  'I3_ACCESS_IPA_PROCESS_MONITOR',
  'I3_ACCESS_IPA_PROCESS_DESIGNER',
] as const;
export type IpaLevelKey = (typeof IPA_LEVELS)[number];

/** The reference marks these two "user license only". */
export const USER_ONLY_KEYS: ReadonlySet<string> = new Set([
  'I3_ACCESS_IPA_PROCESS_MONITOR',
  'I3_ACCESS_IPA_PROCESS_DESIGNER',
]);

/**
 * What enforcement stage 4 takes away. docs/domain.md section 3's SUPERVISOR billing category, plus
 * the dialer supervisor plug-in that the part catalogue grants (SW-001-4.0-AA01): stage 4
 * disables Interaction Supervisor as a whole, whatever the billing category calls it.
 */
export const SUPERVISOR_KEYS: ReadonlySet<string> = new Set([
  'I3_ACCESS_WORKGROUP_SUPERVISOR_PLUGIN',
  'I3_ACCESS_DIALER_SUPERVISOR_PLUS',
  'I3_ACCESS_DIALER_SUPERVISOR_PLUGIN',
  'I3_ACCESS_HISTORICAL_REPORT_SUPERVISOR_PLUGIN',
  'I3_ACCESS_REPORT_ASSISTANT_SUPERVISOR_PLUGIN',
  'I3_ACCESS_SYSTEM_STATUS_SUPERVISOR_PLUGIN',
]);

const KEY_PATTERN = /^I3_[A-Z0-9]+(?:_[A-Z0-9]+)*$/;
const FEATURE_PREFIX = 'I3_FEATURE_';

export function isWellFormedKey(key: string): boolean {
  return KEY_PATTERN.test(key);
}

/** Features license the server as a whole; they are never given to a user or a station. */
export function isFeatureKey(key: string): boolean {
  return key.startsWith(FEATURE_PREFIX);
}

export function isConcurrentKey(key: string): boolean {
  return key.endsWith(CONCURRENT_SUFFIX) && key.length > CONCURRENT_SUFFIX.length;
}

/** The licence a pool key belongs to: `X_CONCURRENT` → `X`; other keys are unchanged. */
export function baseKey(key: string): string {
  return isConcurrentKey(key) ? key.slice(0, -CONCURRENT_SUFFIX.length) : key;
}

/** The concurrent pool of a licence (idempotent: a `_CONCURRENT` key is its own twin). */
export function concurrentTwin(key: string): string {
  return `${baseKey(key)}${CONCURRENT_SUFFIX}`;
}

/** One spelling per licence, keeping the pool (`_CONCURRENT` or not) the key names. */
export function canonicalKey(key: string): string {
  const base = baseKey(key);
  const canonicalBase = base === CLIENT_ACCESS_ALIAS ? CLIENT_ACCESS : base;
  return isConcurrentKey(key) ? concurrentTwin(canonicalBase) : canonicalBase;
}

/** The licence a key grants, whichever pool or spelling names it. */
export function licenseOf(key: string): string {
  return baseKey(canonicalKey(key));
}

export function sameLicense(a: string, b: string): boolean {
  return licenseOf(a) === licenseOf(b);
}

export function isClientAccessKey(key: string): boolean {
  return licenseOf(key) === CLIENT_ACCESS;
}

export function isStationOnlyKey(key: string): boolean {
  return licenseOf(key) === BASIC_STATION;
}

export function isUserOnlyKey(key: string): boolean {
  return USER_ONLY_KEYS.has(licenseOf(key));
}

/** A key that names Interaction Supervisor: any I3_ key with SUPERVISOR as one of its words. */
const NAMES_SUPERVISOR = /^I3_(?:[A-Z0-9]+_)*SUPERVISOR(?:_[A-Z0-9]+)*$/;

/**
 * Every supervisor licence: the plug-ins listed above and any other key that names SUPERVISOR
 * (Interaction Supervisor iPad Edition, plug-ins of later releases). Stage 4 disables Interaction
 * Supervisor as a whole, and billing counts "ALL SUPERVISOR LICENSES" the same way.
 */
export function isSupervisorKey(key: string): boolean {
  const license = licenseOf(key);
  return SUPERVISOR_KEYS.has(license) || NAMES_SUPERVISOR.test(license);
}

/** Basic Station is always assignable (stations take ASSIGNED only), so it has no concurrent pool. */
export function hasConcurrentTwin(key: string): boolean {
  return !isStationOnlyKey(key) && !isFeatureKey(key);
}

const ipaRank = (key: string): number => (IPA_LEVELS as readonly string[]).indexOf(licenseOf(key));

/** The highest IPA level among the keys, or null when there is none. */
export function ipaLevel(keys: readonly string[]): IpaLevelKey | null {
  const highest = Math.max(-1, ...keys.map(ipaRank));
  return highest < 0 ? null : IPA_LEVELS[highest];
}

/** Distinct licences in first-seen order, canonical spelling, pool suffix dropped. */
export function distinctLicenses(keys: readonly string[]): string[] {
  return [...new Set(keys.map(licenseOf))];
}

/**
 * The capabilities a set of keys gives: their licences plus every IPA level below the highest,
 * since a higher level "includes" the lower ones (reference, Interaction Process Automation).
 */
export function capabilitiesOf(keys: readonly string[]): Set<string> {
  const capabilities = new Set(distinctLicenses(keys));
  const level = ipaLevel(keys);
  if (level !== null) {
    for (const included of IPA_LEVELS.slice(0, IPA_LEVELS.indexOf(level) + 1)) capabilities.add(included);
  }
  return capabilities;
}
