import { ActivationFile } from './activation-file.entity.js';
import {
  BackgroundTask,
  type Clock,
  DAY_MS,
  uncounted,
  type LicenseExpiringPayload,
  type Logger,
  Topics,
  recordEvent,
  type Database,
} from '@lic/shared';

/** The warnings, nearest first: a file is announced once as it comes within each. */
const THRESHOLDS = [1, 7, 30] as const;
type Threshold = (typeof THRESHOLDS)[number];

/** The nearest threshold a file expiring in `leftMs` is within; undefined beyond 30 days or once expired. */
export function expiryThreshold(leftMs: number): Threshold | undefined {
  if (leftMs <= 0) return undefined;
  return THRESHOLDS.find((days) => leftMs <= days * DAY_MS);
}

interface Row {
  id: string;
  account_id: string;
  install_site_id: string;
  revision: unknown;
  expires_at: unknown;
  expiry_warned_days: unknown;
}

/**
 * Announces active activation files coming within 30, 7 and 1 days of their expiry
 * (`accounts.license-expiring`, the `license.expiring` webhook). Each announcement is claimed
 * with a conditional update of the file in the transaction that records the event, so replicas
 * ticking together announce each threshold once; a file already nearer than 30 days when first
 * seen is announced at its nearest threshold only.
 */
export class ExpiryWarnings {
  /** At start, then every tick; a tick that finds the previous one running skips it. */
  private readonly task: BackgroundTask<number>;

  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    logger?: Logger,
  ) {
    this.task = new BackgroundTask({
      run: () => this.tick(),
      whileRunning: 'skip',
      ...(logger ? { logger } : {}),
      failureMessage: 'licence expiry warnings failed',
      failureLevel: 'error',
    });
  }

  start(tickMs: number): void {
    this.task.start({ pollMs: tickMs });
  }

  stop(): Promise<void> {
    return this.task.stop();
  }

  /** Announces every threshold newly reached at the clock's now; returns how many. */
  tick(): Promise<number> {
    // Background work: not counted against the request that happens to run meanwhile.
    return uncounted(() => this.announce());
  }

  private async announce(): Promise<number> {
    const now = this.clock.now().getTime();
    const rows = (await this.database.dataSource.query(
      'SELECT id, account_id, install_site_id, revision, expires_at, expiry_warned_days FROM activation_file ' +
        'WHERE active = 1 AND expires_at > ? AND expires_at <= ? AND (expiry_warned_days IS NULL OR expiry_warned_days > 1)',
      [now, now + 30 * DAY_MS],
    )) as Row[];
    let announced = 0;
    for (const row of rows) {
      const expiresAt = Number(row.expires_at);
      const threshold = expiryThreshold(expiresAt - now);
      const warned = row.expiry_warned_days === null ? null : Number(row.expiry_warned_days);
      if (threshold === undefined || (warned !== null && warned <= threshold)) continue;
      const recorded = await this.database.transaction(async (manager) => {
        const claimed = await manager
          .createQueryBuilder()
          .update(ActivationFile)
          .set({ expiryWarnedDays: threshold })
          .where('id = :id AND active = :active', { id: row.id, active: true })
          .andWhere('(expiry_warned_days IS NULL OR expiry_warned_days > :threshold)', { threshold })
          .execute();
        if (claimed.affected !== 1) return false;
        const payload: LicenseExpiringPayload = {
          fileId: row.id,
          accountId: row.account_id,
          installSiteId: row.install_site_id,
          revision: Number(row.revision),
          expiresAt: new Date(expiresAt).toISOString(),
          withinDays: threshold,
          daysLeft: Math.ceil((expiresAt - now) / DAY_MS),
        };
        await recordEvent(manager, this.clock, Topics.LicenseExpiring, payload);
        return true;
      });
      if (recorded) announced += 1;
    }
    return announced;
  }
}
