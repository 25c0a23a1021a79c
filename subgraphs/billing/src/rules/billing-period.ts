import { badInput } from '@lic/shared';

/**
 * A subscription billing period: from the 28th 00:00 UTC up to (not including) the next
 * month's 28th 00:00 UTC, so "the 28th through the 27th" of SPEC §3 with a half-open end.
 * Every month has a 28th, which is why the vendor chose it: no month-length clamping is needed.
 */
export interface BillingPeriod {
  readonly start: Date;
  /** Exclusive: the first instant of the next period. */
  readonly end: Date;
  /**
   * The day usage for this period is due: the 4th of the month after the period ends, given
   * as that day's 00:00 UTC. Uploads are on time for the whole of that day (see `uploadCutoff`).
   */
  readonly uploadDeadline: Date;
}

export const BILLING_PERIOD_START_DAY = 28;
export const UPLOAD_DEADLINE_DAY = 4;

/** Guards against a caller asking for centuries of periods by accident. */
export const MAX_PERIODS_PER_QUERY = 1200;

const startOf = (year: number, monthIndex: number): Date =>
  // Date.UTC carries month overflow (13 → January next year) and underflow for us.
  new Date(Date.UTC(year, monthIndex, BILLING_PERIOD_START_DAY));

function periodFromStart(start: Date): BillingPeriod {
  const year = start.getUTCFullYear();
  const month = start.getUTCMonth();
  return {
    start,
    end: startOf(year, month + 1),
    // The period ends in month+1 (on the 27th), so the deadline falls in month+2.
    uploadDeadline: new Date(Date.UTC(year, month + 2, UPLOAD_DEADLINE_DAY)),
  };
}

function requireInstant(value: Date, field: string): number {
  const ms = value instanceof Date ? value.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) throw badInput(`${field} is not a valid instant`, field);
  return ms;
}

/** The period that contains `instant`. */
export function billingPeriodAt(instant: Date): BillingPeriod {
  requireInstant(instant, 'asOf');
  const year = instant.getUTCFullYear();
  const month = instant.getUTCMonth();
  const day = instant.getUTCDate();
  return periodFromStart(startOf(year, day >= BILLING_PERIOD_START_DAY ? month : month - 1));
}

/** The period beginning at `start`, which must be exactly a 28th at 00:00:00.000 UTC. */
export function billingPeriodStarting(start: Date): BillingPeriod {
  const ms = requireInstant(start, 'periodStart');
  const period = billingPeriodAt(start);
  if (period.start.getTime() !== ms) {
    throw badInput(
      `periodStart must be the 28th of a month at 00:00 UTC (the period containing it starts ${period.start.toISOString()})`,
      'periodStart',
    );
  }
  return period;
}

/**
 * The first instant at which an upload for the period counts as late: the day after the
 * deadline day, 00:00 UTC. "By June 4" is read as "any time on June 4 (UTC)", the way people
 * read a due date: flagging an account at 00:00 on the due day itself would surprise every
 * administrator who uploads on the day the contract names.
 */
export function uploadCutoff(period: BillingPeriod): Date {
  const d = period.uploadDeadline;
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1));
}

/**
 * Whether usage for the period starting at `periodStart` uploaded (or, for a missing upload,
 * checked) at `uploadedAt` is late. Passing "now" for a period with no upload tells whether
 * the upload is overdue.
 */
export function isUploadLate(periodStart: Date, uploadedAt: Date): boolean {
  const period = billingPeriodStarting(periodStart);
  return requireInstant(uploadedAt, 'uploadedAt') >= uploadCutoff(period).getTime();
}

/**
 * Every period that shares at least one instant with [from, to), oldest first. An empty range
 * (from == to) overlaps nothing.
 */
export function periodsOverlapping(from: Date, to: Date): BillingPeriod[] {
  const fromMs = requireInstant(from, 'from');
  const toMs = requireInstant(to, 'to');
  if (toMs < fromMs) throw badInput('to must not be before from', 'to');
  if (toMs === fromMs) return [];
  const periods: BillingPeriod[] = [];
  for (
    let period = billingPeriodAt(from);
    period.start.getTime() < toMs;
    period = periodFromStart(period.end)
  ) {
    if (periods.length === MAX_PERIODS_PER_QUERY) {
      throw badInput(`the range spans more than ${MAX_PERIODS_PER_QUERY} billing periods`, 'to');
    }
    periods.push(period);
  }
  return periods;
}
