import { type DataSource } from 'typeorm';
import { MINUTE_MS, type Clock, num } from '@lic/shared';
import { type BillingBasis } from '../account/billing-account.entity.js';
import { KeyedConcurrencyAccumulator, type ConcurrencyResult } from '../rules/billable-concurrent.js';
import { type BillingPeriod, billingPeriodStarting } from '../rules/billing-period.js';
import { BaseCategory, USAGE_CATEGORIES, type UsageCategory } from '../rules/categories.js';
import { categoriesOf } from '../usage/category-mask.js';
import { type UsageDeriver } from '../usage/usage-deriver.js';
import { EndHeap } from './end-heap.js';

export interface UsageReportLineData {
  category: UsageCategory;
  namedUsers: number;
  peakConcurrent: number;
  peakAt: Date | null;
  billableConcurrent: number;
  activeHours: number;
  billableQuantity: number;
}

export interface UsageReportData {
  accountId: string;
  period: BillingPeriod;
  basis: BillingBasis;
  categoryVersion: string;
  billableConcurrentMinutes: number;
  /** The figures hold up to here: the period's end, or now for a period in progress. */
  asOf: Date;
  final: boolean;
  lines: UsageReportLineData[];
}

export interface UsageReportOptions {
  billableConcurrentMinutes: number;
  /** Rows per keyset page of the sweep (memory is bounded by this, not by the month). */
  batchSize?: number;
}

/**
 * The monthly usage report (SPEC §3). Named users come from one aggregate query; peak, billable
 * concurrent users and active hours from one sweep over the period's session starts and ends,
 * read in start order in keyset pages (ends wait in a heap), so memory stays bounded by the page
 * size and the peak level whatever the size of the month.
 */
export class UsageReportService {
  private readonly batchSize: number;

  constructor(
    private readonly dataSource: DataSource,
    private readonly deriver: UsageDeriver,
    private readonly clock: Clock,
    private readonly options: UsageReportOptions,
  ) {
    this.batchSize = options.batchSize ?? 10_000;
  }

  async report(accountId: string, periodStart: Date, basis: BillingBasis): Promise<UsageReportData> {
    const period = billingPeriodStarting(periodStart);
    await this.deriver.catchUp({ accountIds: [accountId] });
    const now = this.clock.now().getTime();
    const start = period.start.getTime();
    const end = period.end.getTime();
    const thresholdMs = this.options.billableConcurrentMinutes * MINUTE_MS;
    const final = now >= end;
    const base = {
      accountId,
      period,
      basis,
      categoryVersion: this.deriver.categoryVersion,
      billableConcurrentMinutes: this.options.billableConcurrentMinutes,
      final,
    };
    if (now <= start) return { ...base, asOf: period.start, lines: this.lines(new Map(), new Map(), basis) };

    const accumulator = new KeyedConcurrencyAccumulator<UsageCategory>({
      periodStart: start,
      periodEnd: end,
      thresholdMs,
    });
    // Named users (one aggregate) and the sweep read different indexes; on MariaDB they run side by side.
    const [named, last] = await Promise.all([
      this.namedUsers(accountId, start),
      this.sweepAll(accountId, start, accumulator),
    ]);
    const until = final ? end : Math.min(end, Math.max(now, last));
    return { ...base, asOf: new Date(until), lines: this.lines(named, accumulator.finish(until), basis) };
  }

  private lines(
    named: ReadonlyMap<UsageCategory, number>,
    concurrency: ReadonlyMap<UsageCategory, ConcurrencyResult>,
    basis: BillingBasis,
  ): UsageReportLineData[] {
    const lines: UsageReportLineData[] = [];
    for (const category of USAGE_CATEGORIES) {
      const namedUsers = named.get(category) ?? 0;
      const c = concurrency.get(category);
      const isBase = category === BaseCategory.AGENT || category === BaseCategory.BUSINESS_USER;
      if (!isBase && namedUsers === 0 && !c?.peakConcurrent) continue;
      const billableConcurrent = c?.billableConcurrent ?? 0;
      lines.push({
        category,
        namedUsers,
        peakConcurrent: c?.peakConcurrent ?? 0,
        peakAt: c?.peakAt ?? null,
        billableConcurrent,
        activeHours: Math.round((c?.activeHours ?? 0) * 1e6) / 1e6,
        billableQuantity: basis === 'NAMED' ? namedUsers : billableConcurrent,
      });
    }
    return lines;
  }

  /** Distinct users per category, in SQL, from the per-user period summaries and the sessions still going. */
  private async namedUsers(accountId: string, periodStart: number): Promise<Map<UsageCategory, number>> {
    const columns = USAGE_CATEGORIES.map(
      (_, i) => `COUNT(DISTINCT CASE WHEN (u.categories & ${1 << i}) <> 0 THEN u.user_id END) AS c${i}`,
    ).join(', ');
    const [row] = (await this.dataSource.query(
      `SELECT ${columns} FROM (
         SELECT user_id, categories FROM usage_user_period WHERE account_id = ? AND period_start = ?
         UNION ALL
         SELECT user_id, open_categories AS categories FROM usage_user WHERE account_id = ? AND open_start < ?
       ) u`,
      [accountId, periodStart, accountId, periodStart],
    )) as Array<Record<string, unknown>>;
    return new Map(USAGE_CATEGORIES.map((category, i) => [category, num(row?.[`c${i}`] ?? 0)]));
  }

  private async sweepAll(
    accountId: string,
    start: number,
    accumulator: KeyedConcurrencyAccumulator<UsageCategory>,
  ): Promise<number> {
    // Sessions still going that began in an earlier period are active from this period's start.
    const carried = (await this.dataSource.query(
      `SELECT open_categories AS mask, COUNT(*) AS n FROM usage_user
       WHERE account_id = ? AND open_start < ? GROUP BY open_categories`,
      [accountId, start],
    )) as Array<{ mask: unknown; n: unknown }>;
    for (const row of carried) accumulator.add(start, num(row.n), categoriesOf(num(row.mask)));
    return this.sweep(accountId, start, accumulator);
  }

  /**
   * One pass over the period's pieces in start order; the ends of the pieces in progress wait
   * in a heap, so the ends come out in time order too without a second stream. Returns the last
   * instant seen.
   */
  private async sweep(
    accountId: string,
    periodStart: number,
    accumulator: KeyedConcurrencyAccumulator<UsageCategory>,
  ): Promise<number> {
    const ends = new EndHeap();
    let last = periodStart;
    for await (const page of this.pages(accountId, periodStart)) {
      for (const row of page) {
        const at = num(row[0]);
        while (ends.size > 0 && ends.peekEnd() <= at) {
          const endAt = ends.peekEnd();
          accumulator.add(endAt, -1, categoriesOf(ends.popMask()));
        }
        const mask = num(row[2]);
        accumulator.add(at, 1, categoriesOf(mask));
        if (row[1] !== null) ends.push(num(row[1]), mask);
        last = at;
      }
    }
    while (ends.size > 0) {
      last = Math.max(last, ends.peekEnd());
      const endAt = ends.peekEnd();
      accumulator.add(endAt, -1, categoriesOf(ends.popMask()));
    }
    return last;
  }

  /**
   * The period's pieces as [start, end, categories], in index order, in keyset pages: each page
   * starts at the last start seen and skips the rows of that instant already read. The next
   * page is requested before the current one is processed, so the database and the sweep overlap.
   */
  private async *pages(accountId: string, periodStart: number): AsyncGenerator<PieceTuple[]> {
    const fetch = (from: number, skip: number) => {
      const page = this.dataSource.query(
        `SELECT start_at, end_at, categories FROM usage_session
         WHERE account_id = ? AND period_start = ? AND start_at >= ?
         ORDER BY start_at, end_at, categories LIMIT ${this.batchSize} OFFSET ${skip}`,
        [accountId, periodStart, from],
      ) as Promise<Array<{ start_at: unknown; end_at: unknown; categories: unknown }>>;
      // Awaited on the next turn of the loop; until then a failure must not count as unhandled.
      page.catch(() => undefined);
      return page;
    };
    let from = periodStart;
    let skip = 0;
    let next = fetch(from, skip);
    for (;;) {
      const rows = await next;
      if (rows.length === 0) return;
      const lastAt = num(rows[rows.length - 1]!.start_at);
      let tied = 0;
      for (let i = rows.length - 1; i >= 0 && num(rows[i]!.start_at) === lastAt; i--) tied += 1;
      // A page of one instant continues that instant: skip what was already read of it.
      skip = tied === rows.length && lastAt === from ? skip + tied : tied;
      from = lastAt;
      const full = rows.length === this.batchSize;
      if (full) next = fetch(from, skip);
      yield rows.map((r) => [r.start_at, r.end_at, r.categories] as PieceTuple);
      if (!full) return;
    }
  }
}

type PieceTuple = [start: unknown, end: unknown, categories: unknown];
