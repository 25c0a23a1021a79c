import { type DataSource } from 'typeorm';
import { type Clock, badInput, num, numOrNull, placeholders } from '@lic/shared';
import { billingPeriodAt, periodsOverlapping } from '../rules/billing-period.js';
import { categoriesOf } from './category-mask.js';
import { type UsageDeriver } from './usage-deriver.js';
import { type UsageSession } from './usage-session.types.js';

export const DEFAULT_SESSION_LIMIT = 1000;
export const MAX_SESSION_LIMIT = 10_000;

export interface SessionQuery {
  serverId: string;
  userId?: string | null | undefined;
  from?: Date | null | undefined;
  to?: Date | null | undefined;
  limit?: number | null | undefined;
}

interface PieceRow {
  user_id: string;
  session_start: unknown;
  session_end: unknown;
  categories: unknown;
  licenses: string;
}

/** The tracked active sessions of a server (or one user of it) overlapping a time range. */
export class UsageSessionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly deriver: UsageDeriver,
    private readonly clock: Clock,
  ) {}

  async list(query: SessionQuery): Promise<UsageSession[]> {
    const now = this.clock.now();
    const from = query.from ?? billingPeriodAt(now).start;
    const to = query.to ?? now;
    if (to.getTime() <= from.getTime()) throw badInput('to must be after from', 'to');
    const limit = query.limit ?? DEFAULT_SESSION_LIMIT;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SESSION_LIMIT) {
      throw badInput(`limit must be between 1 and ${MAX_SESSION_LIMIT}`, 'limit');
    }
    const periods = periodsOverlapping(from, to).map((p) => p.start.getTime());
    await this.deriver.catchUp({ serverIds: [query.serverId] });

    const userFilter = query.userId ? ' AND user_id = ?' : '';
    const userParam = query.userId ? [query.userId] : [];
    const columns = 'user_id, session_start, session_end, categories, licenses';
    const inRange = (await this.dataSource.query(
      `SELECT ${columns} FROM usage_session
       WHERE server_id = ?${userFilter} AND period_start IN (${placeholders(periods.length)})
         AND start_at < ? AND (end_at > ? OR end_at IS NULL)`,
      [query.serverId, ...userParam, ...periods, to.getTime(), from.getTime()],
    )) as PieceRow[];
    // Sessions still going that began before the first period have their piece in an earlier one.
    const carried = (await this.dataSource.query(
      `SELECT s.user_id, s.session_start, s.session_end, s.categories, s.licenses
       FROM usage_user u JOIN usage_session s
         ON s.server_id = u.server_id AND s.user_id = u.user_id AND s.session_start = u.open_start AND s.end_at IS NULL
       WHERE u.server_id = ?${userFilter.replace('user_id', 'u.user_id')} AND u.open_start < ?`,
      [query.serverId, ...userParam, periods[0] ?? from.getTime()],
    )) as PieceRow[];

    const sessions = new Map<string, UsageSession>();
    for (const row of [...inRange, ...carried]) {
      const start = num(row.session_start);
      const key = `${row.user_id}|${start}`;
      if (sessions.has(key)) continue;
      const end = numOrNull(row.session_end);
      sessions.set(key, {
        user: { id: row.user_id },
        server: { id: query.serverId },
        start: new Date(start),
        end: end === null ? null : new Date(end),
        categories: [...categoriesOf(num(row.categories))],
        licenses: JSON.parse(row.licenses) as string[],
      });
    }
    return [...sessions.values()]
      .sort((a, b) => a.start.getTime() - b.start.getTime() || a.user.id.localeCompare(b.user.id))
      .slice(0, limit);
  }
}
