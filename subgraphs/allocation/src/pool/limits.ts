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
 * The limit one pool admits (null = uncapped). A key not in the loaded file admits nothing; a
 * PERPETUAL file caps at its quantity; a SUBSCRIPTION pool is uncapped unless the account set a
 * cap; enforcement then takes supervisor licences away (stage 4+), everything but call ports
 * (stage 6) and bounds call ports (stages 5 and 6).
 */
export function effectiveLimit(
  key: string,
  file: { inFile: boolean; fileTotal: number },
  context: LimitContext,
): number | null {
  let limit: number | null =
    file.inFile && context.model !== null
      ? poolLimit({
          model: context.model,
          fileTotal: file.fileTotal,
          accountCap: context.caps.get(key) ?? null,
        })
      : 0;
  if (key === CALL_PORT_KEY) {
    if (context.callPortLimit !== null)
      limit = limit === null ? context.callPortLimit : Math.min(limit, context.callPortLimit);
    return limit;
  }
  if (context.unlicensed) return 0;
  if (context.supervisorDisabled && isSupervisorKey(key)) return 0;
  return limit;
}
