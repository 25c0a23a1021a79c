/*
 * The demo clock (docs/domain.md, "Demo accounts"): the virtual-cloud servers of the demo accounts
 * named in the configuration run their enforcement timeline faster than real time, so that a demo
 * shows every stage in minutes. Every other server runs in real time, whatever is asked: this is a
 * licensing product, and a setting that sped up a customer's grace period would be a hole.
 */

/** Which scale each account's servers run their enforcement timeline at. */
export interface DemoClock {
  /** Enforcement time per real time for this account's servers: 1 unless it is a demo account. */
  timeScaleFor(accountId: string): number;
}

/** Real time for every account: the clock of any deployment without demo accounts. */
export const REAL_TIME: DemoClock = { timeScaleFor: () => 1 };

export interface DemoClockSettings {
  /** The demo accounts (config `demoEnforcement.accountIds`). */
  accountIds: readonly string[];
  /** Enforcement seconds per real second on their servers (config `demoEnforcement.timeScale`). */
  timeScale: number;
}

/** The demo clock of a configuration: `timeScale` for the listed accounts only, real time for the rest. */
export function demoClock(settings: DemoClockSettings): DemoClock {
  const demo = new Set(settings.accountIds);
  if (demo.size === 0) return REAL_TIME;
  if (!Number.isSafeInteger(settings.timeScale) || settings.timeScale < 1) {
    throw new RangeError(
      `the demo time scale must be a whole number of at least 1, got ${String(settings.timeScale)}`,
    );
  }
  return { timeScaleFor: (accountId) => (demo.has(accountId) ? settings.timeScale : 1) };
}
