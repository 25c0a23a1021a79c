import { DAY_MS } from '@lic/shared';
import { type BillingPeriod, periodsOverlapping, uploadCutoff } from '../rules/billing-period.js';
import { type UploadStatusSummary, uploadStatus } from './upload-status.js';

/** How far back the overdue check looks: a deadline passed longer ago than this is not announced. */
export const OVERDUE_LOOKBACK_MS = 62 * DAY_MS;

/**
 * The periods whose upload deadline has passed at `now`, no longer ago than the lookback, oldest
 * first: the ones whose late or missing uploads are announced.
 */
export function periodsPastDeadline(now: number, lookbackMs = OVERDUE_LOOKBACK_MS): BillingPeriod[] {
  // A period's cutoff falls at most about 40 days after its start.
  const from = new Date(now - lookbackMs - 45 * DAY_MS);
  return periodsOverlapping(from, new Date(now)).filter((p) => {
    const cutoff = uploadCutoff(p).getTime();
    return cutoff <= now && cutoff > now - lookbackMs;
  });
}

export interface OverdueServer {
  serverId: string;
  accountId: string;
  state: 'LATE' | 'MISSING';
  status: UploadStatusSummary;
}

/**
 * The servers whose uploads for the period are late or missing at `now` (the upload status of
 * each server's own files), in server order. An episode is a server and a period: the caller
 * announces each once, however its state moves on (a missing upload that arrives late is the
 * same episode).
 */
export function overdueServers(
  period: BillingPeriod,
  files: ReadonlyArray<{ serverId: string; accountId: string; uploadedAt: number | null }>,
  now: number,
): OverdueServer[] {
  const byServer = new Map<string, Array<(typeof files)[number]>>();
  for (const f of files) byServer.set(f.serverId, [...(byServer.get(f.serverId) ?? []), f]);
  const overdue: OverdueServer[] = [];
  for (const [serverId, list] of [...byServer].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const status = uploadStatus(period, list, now);
    if (status.state !== 'LATE' && status.state !== 'MISSING') continue;
    overdue.push({ serverId, accountId: list[0]!.accountId, state: status.state, status });
  }
  return overdue;
}
