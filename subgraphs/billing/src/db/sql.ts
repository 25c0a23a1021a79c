import { type EntityManager } from 'typeorm';

/** The two engines billing runs on; the few statements that differ are written here. */
export type Dialect = 'sqlite' | 'mariadb';

export function dialectOf(manager: EntityManager): Dialect {
  const type = manager.connection.options.type;
  return type === 'mariadb' || type === 'mysql' ? 'mariadb' : 'sqlite';
}

/**
 * Row locks: MariaDB needs `FOR UPDATE` to serialise work on a row; SQLite runs one
 * transaction at a time (and has no such clause).
 */
export function forUpdate(dialect: Dialect): string {
  return dialect === 'mariadb' ? ' FOR UPDATE' : '';
}

/** `?, ?, ?` for n values. */
export function placeholders(n: number): string {
  return new Array<string>(n).fill('?').join(', ');
}

/** Splits a list for IN (...) lists and multi-row inserts. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** BIGINT and COUNT come back as strings from MariaDB, as numbers from SQLite. */
export function num(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}

export function numOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : num(value);
}

export interface DirtyMark {
  serverId: string;
  userId: string;
  accountId: string;
  from: number;
}

/** One SQL statement with its parameters, to be sent alone or with others (`sendAll`). */
export interface Statement {
  sql: string;
  params: unknown[];
}

/**
 * Sends statements in order: on MariaDB as one query (one round trip; the data source allows
 * several statements a query), on SQLite one by one (in-process: no round trip to save).
 */
export async function sendAll(manager: EntityManager, statements: readonly Statement[]): Promise<void> {
  if (statements.length === 0) return;
  if (dialectOf(manager) === 'mariadb' && statements.length > 1) {
    await manager.query(
      statements.map((s) => s.sql).join(';\n'),
      statements.flatMap((s) => s.params),
    );
    return;
  }
  for (const statement of statements) await manager.query(statement.sql, statement.params);
}

/**
 * Runs reads in order and returns each one's rows: on MariaDB as one query (one round trip), on
 * SQLite one by one.
 */
export async function queryAll(
  manager: EntityManager,
  statements: readonly Statement[],
): Promise<unknown[][]> {
  if (dialectOf(manager) === 'mariadb' && statements.length > 1) {
    return (await manager.query(
      statements.map((s) => s.sql).join(';\n'),
      statements.flatMap((s) => s.params),
    )) as unknown[][];
  }
  const results: unknown[][] = [];
  for (const statement of statements)
    results.push((await manager.query(statement.sql, statement.params)) as unknown[]);
  return results;
}

/**
 * Records that a user's events changed from `from` on: creates the user row or lowers its
 * `dirty_from`. On MariaDB the upsert takes the row lock, so it waits for a derivation of the
 * same user in progress and lands after it (the user is then derived again).
 */
export async function markUsersDirty(manager: EntityManager, marks: readonly DirtyMark[]): Promise<void> {
  for (const statement of markUsersDirtyStatements(dialectOf(manager), marks))
    await manager.query(statement.sql, statement.params);
}

/** markUsersDirty's statements (one per 200 users), to send with others. */
export function markUsersDirtyStatements(dialect: Dialect, marks: readonly DirtyMark[]): Statement[] {
  // One mark per user, with the earliest time: a multi-row upsert may not name a row twice.
  const byUser = new Map<string, DirtyMark>();
  for (const mark of marks) {
    const key = `${mark.serverId}\u0000${mark.userId}`;
    const seen = byUser.get(key);
    if (!seen || mark.from < seen.from) byUser.set(key, mark);
  }
  return chunks([...byUser.values()], 200).map((chunk) => {
    const values = chunk.map(() => '(?, ?, ?, ?)').join(', ');
    const params = chunk.flatMap((m) => [m.serverId, m.userId, m.accountId, m.from]);
    const sql =
      dialect === 'mariadb'
        ? `INSERT INTO usage_user (server_id, user_id, account_id, dirty_from) VALUES ${values}
           ON DUPLICATE KEY UPDATE dirty_from = CASE WHEN dirty_from IS NULL OR dirty_from > VALUES(dirty_from)
             THEN VALUES(dirty_from) ELSE dirty_from END`
        : `INSERT INTO usage_user (server_id, user_id, account_id, dirty_from) VALUES ${values}
           ON CONFLICT (server_id, user_id) DO UPDATE SET dirty_from = CASE
             WHEN usage_user.dirty_from IS NULL OR usage_user.dirty_from > excluded.dirty_from
             THEN excluded.dirty_from ELSE usage_user.dirty_from END`;
    return { sql, params };
  });
}

/** Marks every user of a server dirty from `from` (a licence load changes what was tracked). */
export async function markServerDirty(manager: EntityManager, serverId: string, from: number): Promise<void> {
  await manager.query(
    `UPDATE usage_user SET dirty_from = CASE WHEN dirty_from IS NULL OR dirty_from > ? THEN ? ELSE dirty_from END
     WHERE server_id = ?`,
    [from, from, serverId],
  );
}
