/*
 * Good standing is the platform's verdict, never the server's claim (docs/domain.md, virtual
 * cloud enforcement). A server asks with its own credential; the platform answers good standing
 * only when the file loaded on that server is its current, active, unexpired revision, the
 * subscription behind it is active, and the account is not on hold. Otherwise the answer says why.
 */

export const STANDING_REASONS = [
  /** No activation file is loaded on the server (or it was withdrawn from it). */
  'NO_LICENSE_FILE',
  /** The loaded file was deactivated by the licensing team. */
  'LICENSE_FILE_DEACTIVATED',
  /** A newer revision of the loaded file exists: the server runs an old one. */
  'LICENSE_FILE_SUPERSEDED',
  /** The loaded file's expiry has passed. */
  'LICENSE_FILE_EXPIRED',
  /** The loaded file is not a subscription licence: there is no active subscription behind it. */
  'SUBSCRIPTION_INACTIVE',
  /** A licensing administrator put the account on hold. */
  'ACCOUNT_ON_HOLD',
  /** The server itself reported that its check did not succeed. */
  'CHECK_REPORTED_FAILED',
] as const;
export type StandingReason = (typeof STANDING_REASONS)[number];

/** What enforcement knows (from other subgraphs' events and its own records) about a server. */
export interface StandingFacts {
  /** The file loaded on the server; null when none is (or it was withdrawn from the server). */
  loaded: {
    fileId: string;
    /** The revision loaded; null from producers that did not say (taken as current). */
    revision: number | null;
    /** Null from producers that did not say (taken as unexpired). */
    expiresAt: Date | null;
    licenseModel: string | null;
  } | null;
  /** What accounts said of the file: its current revision and whether it was deactivated. */
  file: { currentRevision: number | null; deactivatedAt: Date | null } | null;
  /** The account's hold in force, if any. */
  hold: { reason: string } | null;
}

export type StandingVerdict =
  { goodStanding: true } | { goodStanding: false; reason: StandingReason; message: string };

/** The platform's verdict at `at` (the instant of the check). The first failing rule gives the reason. */
export function judgeStanding(facts: StandingFacts, at: Date): StandingVerdict {
  const refuse = (reason: StandingReason, message: string): StandingVerdict => ({
    goodStanding: false,
    reason,
    message,
  });
  const { loaded, file, hold } = facts;
  if (!loaded) return refuse('NO_LICENSE_FILE', 'No activation file is loaded on this server');
  if (file?.deactivatedAt && file.deactivatedAt <= at)
    return refuse('LICENSE_FILE_DEACTIVATED', `Activation file ${loaded.fileId} was deactivated`);
  if (file?.currentRevision != null && loaded.revision !== null && loaded.revision < file.currentRevision) {
    return refuse(
      'LICENSE_FILE_SUPERSEDED',
      `The server runs revision ${loaded.revision} of activation file ${loaded.fileId}; revision ${file.currentRevision} is current`,
    );
  }
  if (loaded.expiresAt && loaded.expiresAt <= at)
    return refuse(
      'LICENSE_FILE_EXPIRED',
      `Activation file ${loaded.fileId} expired at ${loaded.expiresAt.toISOString()}`,
    );
  if (loaded.licenseModel !== null && loaded.licenseModel !== 'SUBSCRIPTION')
    return refuse('SUBSCRIPTION_INACTIVE', 'The loaded activation file has no subscription behind it');
  if (hold) return refuse('ACCOUNT_ON_HOLD', `The account is on hold: ${hold.reason}`);
  return { goodStanding: true };
}
