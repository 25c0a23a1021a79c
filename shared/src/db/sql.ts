import { type EntityManager, QueryFailedError } from 'typeorm';

/**
 * The two engines a subgraph runs on (MySQL counts as MariaDB). The few statements that differ
 * between them are written with the helpers here, never with a test of the driver's name.
 */
export type Dialect = 'sqlite' | 'mariadb';

export function dialectOf(manager: EntityManager): Dialect {
  const type = manager.connection.options.type;
  return type === 'mariadb' || type === 'mysql' ? 'mariadb' : 'sqlite';
}

/**
 * Row locks: MariaDB needs `FOR UPDATE` to serialise work on a row; SQLite's writer lock already
 * covers the whole file (and it has no such clause).
 */
export function forUpdate(dialect: Dialect): string {
  return dialect === 'mariadb' ? ' FOR UPDATE' : '';
}

/** An INSERT that skips a row a unique key already holds. */
export function insertIgnore(dialect: Dialect): string {
  return dialect === 'mariadb' ? 'INSERT IGNORE INTO' : 'INSERT OR IGNORE INTO';
}

/** `?, ?, ?` for an IN list or a row of values. */
export function placeholders(count: number): string {
  return new Array<string>(count).fill('?').join(', ');
}

/** Splits a list for IN (...) lists and multi-row inserts. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

// Typed row parsing. BIGINT, DECIMAL and COUNT come back as strings from MariaDB (the data source
// asks for big numbers as strings) and as numbers from SQLite.

export function num(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}

export function numOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : num(value);
}

/** A time stored as epoch milliseconds. */
export function dateOrNull(value: unknown): Date | null {
  return value === null || value === undefined ? null : new Date(num(value));
}

/** A JSON column (TEXT on both engines); empty or NULL gives the fallback. */
export function json<T>(value: unknown, fallback: T): T {
  if (value === null || value === undefined || value === '') return fallback;
  return JSON.parse(String(value)) as T;
}

/** Runs a statement and returns how many rows it changed (both drivers). */
export async function execute(manager: EntityManager, sql: string, parameters: unknown[]): Promise<number> {
  const runner = manager.queryRunner ?? manager.connection.createQueryRunner();
  try {
    const result = (await runner.query(sql, parameters, true)) as { affected?: number };
    return result.affected ?? 0;
  } finally {
    if (!manager.queryRunner) await runner.release();
  }
}

export async function select<T>(manager: EntityManager, sql: string, parameters: unknown[]): Promise<T[]> {
  return (await manager.query(sql, parameters)) as T[];
}

/** One SQL statement with its parameters, to be sent alone or with others (`sendAll`). */
export interface Statement {
  sql: string;
  params: unknown[];
}

/**
 * Sends statements in order: on MariaDB as one query (one round trip; the data source must allow
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

/** Runs reads in order and returns each one's rows: on MariaDB as one query, on SQLite one by one. */
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

/** The engine's own error code (`ER_DUP_ENTRY`, `SQLITE_BUSY`, …), when the error came from it. */
export function driverCode(error: unknown): string | undefined {
  const driverError = (error instanceof QueryFailedError ? error.driverError : error) as
    { code?: unknown } | undefined;
  return typeof driverError?.code === 'string' ? driverError.code : undefined;
}

const RETRYABLE = new Set([
  // MariaDB gave up on the transaction (two transactions taking rows in different orders, a lock
  // held too long): run again, it usually passes.
  'ER_LOCK_DEADLOCK',
  'ER_LOCK_WAIT_TIMEOUT',
  // A SQLite file shared by several processes was busy beyond the busy timeout.
  'SQLITE_BUSY',
  'SQLITE_BUSY_SNAPSHOT',
  'SQLITE_LOCKED',
]);

/** Whether the engine refused the transaction in a way a second attempt may pass. */
export function isRetryable(error: unknown): boolean {
  const code = driverCode(error);
  return code !== undefined && RETRYABLE.has(code);
}

/** Whether a MariaDB/MySQL deadlock or lock-wait timeout refused it (SQLite never does). */
export function isLockConflict(error: unknown): boolean {
  const code = driverCode(error);
  return code === 'ER_LOCK_DEADLOCK' || code === 'ER_LOCK_WAIT_TIMEOUT';
}

/**
 * A unique key refused the row (a replayed event, a duplicate name). With `constraint`, only that
 * key: MariaDB names the index in its message, SQLite names the table's columns instead, so on
 * SQLite a constraint name is also accepted when the message names `columns` (`table.column`).
 */
export function isUniqueViolation(error: unknown, constraint?: string, columns?: string): boolean {
  const code = driverCode(error);
  const duplicate =
    code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
  if (!duplicate || constraint === undefined) return duplicate;
  const message = String((error as Error).message);
  if (code === 'ER_DUP_ENTRY') return message.includes(constraint);
  return columns === undefined || message.includes(columns) || message.includes(constraint);
}
