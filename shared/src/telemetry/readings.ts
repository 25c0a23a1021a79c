import { type DataSource } from 'typeorm';
import { type Clock } from '../clock/clock.js';
import { uncounted } from '../db/statement-counter.js';
import { type OutboxBacklog } from './metrics.js';

/** The outbox's unpublished events and the oldest one's age (one indexed query, at scrape time). */
export async function outboxBacklog(dataSource: DataSource, clock: Clock): Promise<OutboxBacklog> {
  const rows = (await uncounted(() =>
    dataSource.query(
      'SELECT COUNT(*) AS events, MIN(created_at) AS oldest FROM outbox_event WHERE published_at IS NULL',
    ),
  )) as Array<{ events: unknown; oldest: unknown }>;
  const events = Number(rows[0]?.events ?? 0);
  const oldest = rows[0]?.oldest;
  const oldestAgeSeconds =
    events > 0 && oldest !== null && oldest !== undefined
      ? Math.max(0, (clock.now().getTime() - Number(oldest)) / 1000)
      : 0;
  return { events, oldestAgeSeconds };
}

interface MysqlPoolShape {
  _allConnections?: { length: number };
  _freeConnections?: { length: number };
}

/** Connections of the MariaDB pool in use (mysql2's counters); undefined on SQLite. */
export function poolConnectionsInUse(dataSource: DataSource): number | undefined {
  if (dataSource.options.type === 'better-sqlite3') return undefined;
  const pool = (dataSource.driver as unknown as { pool?: MysqlPoolShape }).pool;
  const all = pool?._allConnections?.length;
  const free = pool?._freeConnections?.length;
  return all === undefined || free === undefined ? undefined : all - free;
}
