/** Key names that more than one subgraph must spell the same way. */

/** Upper-case letters, digits and underscores: the alphabet of every key the reference names. */
export const LICENSE_KEY_PATTERN = /^[A-Z][A-Z0-9_]{0,99}$/;

export const CONCURRENT_SUFFIX = '_CONCURRENT';

/** Stations only, always assignable: it never has a `_CONCURRENT` twin. */
export const BASIC_STATION_KEY = 'I3_LICENSE_BASIC_STATION';

export const CLIENT_ACCESS_KEY = 'I3_ACCESS_CLIENT';

/** Its presence makes a server subject to cloud-connection enforcement and usage upload. */
export const VIRTUAL_CLOUD_KEY = 'I3_FEATURE_VIRTUAL_CLOUD';

/** The reference names no key for call ports; this is the platform's choice. */
export const CALL_PORT_KEY = 'I3_SESSION_CALL_PORT';

/** Usage tracking (automated or manual upload; the reference also writes the bare name). */
export const USAGE_TRACKING_KEY_PREFIX = 'I3_FEATURE_USAGE_TRACKING';

/** Usage tracking and virtual cloud each require a subscription agreement: never in a PERPETUAL file. */
export function isSubscriptionOnlyKey(key: string): boolean {
  return key === VIRTUAL_CLOUD_KEY || key.startsWith(USAGE_TRACKING_KEY_PREFIX);
}

export function isLicenseKey(value: string): boolean {
  return LICENSE_KEY_PATTERN.test(value);
}

/** The key a pooled (concurrent) unit of `key` is granted under. */
export function concurrentTwin(key: string): string {
  return key.endsWith(CONCURRENT_SUFFIX) ? key : `${key}${CONCURRENT_SUFFIX}`;
}
