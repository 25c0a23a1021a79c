/*
 * Calls on servers licensed for development (docs/domain.md section 2, development licences): the
 * reference's "interactions disconnect hourly", i.e. a call on a server whose loaded file is a
 * development file is ended one hour after it opened.
 */

/** How long a call may stay open on a development-licensed server. */
export const DEVELOPMENT_CALL_MS = 60 * 60 * 1000;

/** What every development licence type starts with (DEVELOPMENT_NON_ORDERED_SMALL, ..._ORDERED_LARGE). */
export const DEVELOPMENT_LICENSE_PREFIX = 'DEVELOPMENT_';

export function isDevelopmentLicenseType(licenseType: string | null | undefined): boolean {
  return typeof licenseType === 'string' && licenseType.startsWith(DEVELOPMENT_LICENSE_PREFIX);
}

/** When a call opened at `openedAt` on a development-licensed server is ended. */
export function developmentCallEndsAt(openedAt: number): number {
  return openedAt + DEVELOPMENT_CALL_MS;
}

/** The latest opening time of a call that is due to end at `now`. */
export function developmentCallsOpenedBy(now: number): number {
  return now - DEVELOPMENT_CALL_MS;
}
