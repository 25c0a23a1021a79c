import { CALL_PORT_KEY, DomainError, ErrorCode } from '@lic/shared';
import { isConcurrentKey, isSupervisorKey, poolLimit, type LicenseModel } from '../rules/licenses.js';

/** What bounds a server's pools beyond the file: the account's caps and enforcement. */
export interface LimitContext {
  model: LicenseModel | null;
  /** The account's own caps (subscription only), by pool key. */
  caps: ReadonlyMap<string, number>;
  /** Enforcement stage 4 and beyond. */
  supervisorDisabled: boolean;
  /** Enforcement stages 5 and 6: call ports bounded below the licensed number. */
  callPortLimit: number | null;
  /** Stage 6, or the loaded file expired: the server reverts to unlicensed (call ports only). */
  unlicensed: boolean;
}

/** An unlicensed server keeps two call ports (enforcement stage 6, and an expired file alike). */
export const UNLICENSED_CALL_PORTS = 2;

/** The server state that makes it unlicensed: enforcement stage 6, or a file the expiry scheduler ended. */
export interface LicensedState {
  enforcementStage: number;
  licenseExpiredAt: Date | null;
}

/**
 * Stage 6 and expiry each revert the server to unlicensed, and neither lifts the other: a server
 * both expired and at stage 6 stays unlicensed until a new file is loaded and stage 1 is reached.
 */
export function isUnlicensed(server: LicensedState): boolean {
  return server.enforcementStage >= 6 || server.licenseExpiredAt !== null;
}

/**
 * Why a logon on this server is refused outright (and the denial's reason), or null: a server at stage 6 admits nobody
 * (CLIENT_ACCESS_UNAVAILABLE, as its pools hold nothing), and one whose file's expiry has passed
 * neither (LICENSE_FILE_EXPIRED), from the instant of the expiry, before the scheduler ends it.
 */
export function unlicensedLogon(
  server: LicensedState & { licenseExpiresAt: Date | null },
  now: Date,
): { error: DomainError; reason: 'UNLICENSED' | 'LICENSE_EXPIRED' } | null {
  const expiresAt = server.licenseExpiresAt;
  if (server.licenseExpiredAt !== null || (expiresAt !== null && expiresAt.getTime() <= now.getTime())) {
    const error = new DomainError(
      ErrorCode.LICENSE_FILE_EXPIRED,
      `The server is unlicensed: its licence file expired${expiresAt ? ` at ${expiresAt.toISOString()}` : ''}`,
      { reason: 'LICENSE_EXPIRED', ...(expiresAt ? { expiresAt: expiresAt.toISOString() } : {}) },
    );
    return { error, reason: 'LICENSE_EXPIRED' };
  }
  if (server.enforcementStage >= 6) {
    const error = new DomainError(
      ErrorCode.CLIENT_ACCESS_UNAVAILABLE,
      'The server is unlicensed (virtual cloud enforcement stage 6)',
      { key: 'I3_ACCESS_CLIENT', reason: 'UNLICENSED' },
    );
    return { error, reason: 'UNLICENSED' };
  }
  return null;
}

/**
 * The calls open at once: the licensed call ports bound them for PERPETUAL and SUBSCRIPTION
 * files alike (a subscription's call ports are a licensed capacity, not billed usage), a
 * subscription account's cap can only lower that, and enforcement lowers it further at stages 5 and 6.
 */
export function callPortLimit(file: { inFile: boolean; fileTotal: number }, context: LimitContext): number {
  if (!file.inFile || context.model === null) return 0;
  // As for every pool, an account's cap is a subscription's (a perpetual file caps by itself).
  const cap = context.model === 'SUBSCRIPTION' ? context.caps.get(CALL_PORT_KEY) : undefined;
  let limit = cap === undefined ? file.fileTotal : Math.min(file.fileTotal, cap);
  if (context.callPortLimit !== null) limit = Math.min(limit, context.callPortLimit);
  // An unlicensed server (stage 6, or an expired file) keeps two call ports.
  if (context.unlicensed) limit = Math.min(limit, UNLICENSED_CALL_PORTS);
  return limit;
}

/**
 * The limit one pool admits (null = uncapped). A key not in the loaded file admits nothing; a
 * PERPETUAL file caps at its quantity; a SUBSCRIPTION pool is uncapped unless the account set a
 * cap; enforcement then takes supervisor licences away (stage 4+) and everything but call ports
 * (stage 6 or expiry). Call ports follow callPortLimit.
 */
export function effectiveLimit(
  key: string,
  file: { inFile: boolean; fileTotal: number },
  context: LimitContext,
): number | null {
  if (key === CALL_PORT_KEY) return callPortLimit(file, context);
  const limit: number | null =
    file.inFile && context.model !== null
      ? poolLimit({
          model: context.model,
          fileTotal: file.fileTotal,
          accountCap: context.caps.get(key) ?? null,
        })
      : 0;
  if (context.unlicensed) return 0;
  if (context.supervisorDisabled && isSupervisorKey(key)) return 0;
  return limit;
}

/**
 * Whether a pool's assignments are withheld: out of "in use" (configuration kept) while the server
 * is unlicensed, or, for supervisor licences, from stage 4; they count again when that is lifted.
 * Concurrent pools have nothing to withhold: their holders are released (sessions ended, or the
 * supervisor twins given back) when the same state begins.
 */
export function isWithheldPool(
  key: string,
  context: Pick<LimitContext, 'unlicensed' | 'supervisorDisabled'>,
): boolean {
  if (key === CALL_PORT_KEY || isConcurrentKey(key)) return false;
  return context.unlicensed || (context.supervisorDisabled && isSupervisorKey(key));
}
