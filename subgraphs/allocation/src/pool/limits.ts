import { CALL_PORT_KEY } from '@lic/shared';
import { isSupervisorKey, poolLimit, type LicenseModel } from '../rules/licenses.js';

/** What bounds a server's pools beyond the file: the account's caps and enforcement. */
export interface LimitContext {
  model: LicenseModel | null;
  /** The account's own caps (subscription only), by pool key. */
  caps: ReadonlyMap<string, number>;
  /** Enforcement stage 4 and beyond. */
  supervisorDisabled: boolean;
  /** Enforcement stages 5 and 6: call ports bounded below the licensed number. */
  callPortLimit: number | null;
  /** Stage 6: the server reverts to unlicensed (call ports only). */
  unlicensed: boolean;
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
  return limit;
}

/**
 * The limit one pool admits (null = uncapped). A key not in the loaded file admits nothing; a
 * PERPETUAL file caps at its quantity; a SUBSCRIPTION pool is uncapped unless the account set a
 * cap; enforcement then takes supervisor licences away (stage 4+) and everything but call ports
 * (stage 6). Call ports follow callPortLimit.
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
