/**
 * How a server's usage reaches billing, from the keys of the licence loaded on it (SPEC §3,
 * reference Appendix A):
 * - AUTOMATED: I3_FEATURE_USAGE_TRACKING_UPLOAD (also spelt I3_FEATURE_USAGE_TRACKING) or
 *   I3_FEATURE_VIRTUAL_CLOUD; files are uploaded daily by the platform.
 * - MANUAL: I3_FEATURE_USAGE_TRACKING_LOCAL, which "prevents the automatic upload"; someone
 *   uploads the files through `uploadUsageFile`.
 * - NONE: none of them; no usage is collected.
 */
export const TrackingMode = { AUTOMATED: 'AUTOMATED', MANUAL: 'MANUAL', NONE: 'NONE' } as const;
export type TrackingMode = (typeof TrackingMode)[keyof typeof TrackingMode];

export const USAGE_TRACKING_UPLOAD_KEYS = [
  'I3_FEATURE_USAGE_TRACKING_UPLOAD',
  'I3_FEATURE_USAGE_TRACKING',
] as const;
export const USAGE_TRACKING_LOCAL_KEY = 'I3_FEATURE_USAGE_TRACKING_LOCAL';
export const VIRTUAL_CLOUD_TRACKING_KEY = 'I3_FEATURE_VIRTUAL_CLOUD';

/**
 * A licence's tracking mode from its keys and quantities (a key with quantity 0 is not held).
 * Virtual cloud requires the automated upload, so it wins over LOCAL; otherwise LOCAL wins over
 * UPLOAD because the reference says it prevents the automatic upload.
 */
export function trackingModeOf(keys: Readonly<Record<string, number>> | readonly string[]): TrackingMode {
  const held = new Set(
    Array.isArray(keys)
      ? keys.map((k) => k.trim().toUpperCase())
      : Object.entries(keys as Readonly<Record<string, number>>)
          .filter(([, quantity]) => quantity > 0)
          .map(([k]) => k.trim().toUpperCase()),
  );
  if (held.has(VIRTUAL_CLOUD_TRACKING_KEY)) return TrackingMode.AUTOMATED;
  if (held.has(USAGE_TRACKING_LOCAL_KEY)) return TrackingMode.MANUAL;
  if (USAGE_TRACKING_UPLOAD_KEYS.some((k) => held.has(k))) return TrackingMode.AUTOMATED;
  return TrackingMode.NONE;
}
