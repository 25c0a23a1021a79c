import { DAY_MS } from '@lic/shared';

/** How close the loaded file is to its expiry: the server's status warns 30, 7 and 1 days before. */
export type ExpiryWarning = 'DAYS_30' | 'DAYS_7' | 'DAY_1' | 'EXPIRED';

export interface ExpiryStatus {
  expiresAt: Date | null;
  /** Whole days left, rounded up (0 once expired); null without an expiring file. */
  daysLeft: number | null;
  warning: ExpiryWarning | null;
  expired: boolean;
}

export interface ExpiringLicense {
  licenseFileId: string | null;
  licenseExpiresAt: Date | null;
  /** Set when the expiry scheduler ended the file. */
  licenseExpiredAt: Date | null;
}

/** The warning thresholds, nearest first: within 1 day, 7 days, 30 days. */
const THRESHOLDS: ReadonlyArray<[number, ExpiryWarning]> = [
  [1, 'DAY_1'],
  [7, 'DAYS_7'],
  [30, 'DAYS_30'],
];

/**
 * The expiry part of a server's status at `now`. A file is expired from the instant of its expiry
 * (as at load), whether or not the scheduler has ended it yet; one the scheduler ended stays
 * expired until another file is loaded.
 */
export function expiryStatus(server: ExpiringLicense, now: Date): ExpiryStatus {
  const expiresAt = server.licenseFileId === null ? null : server.licenseExpiresAt;
  if (expiresAt === null) return { expiresAt: null, daysLeft: null, warning: null, expired: false };
  const left = expiresAt.getTime() - now.getTime();
  if (server.licenseExpiredAt !== null || left <= 0) {
    return { expiresAt, daysLeft: 0, warning: 'EXPIRED', expired: true };
  }
  const daysLeft = Math.ceil(left / DAY_MS);
  const warning = THRESHOLDS.find(([days]) => left <= days * DAY_MS)?.[1] ?? null;
  return { expiresAt, daysLeft, warning, expired: false };
}

/** What a supervisor reads, for the dashboard and the status line. */
export function expiryMessage(status: ExpiryStatus): string | null {
  if (!status.expiresAt || status.warning === null) return null;
  const at = status.expiresAt.toISOString();
  if (status.expired)
    return `The licence file expired at ${at}: the server is unlicensed until a new file is loaded`;
  const days = status.daysLeft === 1 ? '1 day' : `${status.daysLeft} days`;
  return `The licence file expires in ${days} (${at}): load a new file before then`;
}
