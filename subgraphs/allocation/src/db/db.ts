import {
  type DataSource,
  type EntityManager,
  type EntitySubscriberInterface,
  QueryFailedError,
} from 'typeorm';
import { type QueryRunner } from 'typeorm';
import { GroupCommit } from './group-commit.js';
import { inSpan, tracingEnabled } from '@lic/shared';

export type DatabaseKind = 'sqlite' | 'mariadb';

/** Where a write goes: straight to the database, or into a batch sent later in one round trip. */
export interface StatementSink {
  manager: EntityManager;
  /**
   * Runs a write and returns the rows it changed, or queues it (MariaDB's logon and logoff, see
   * Db.hot) and returns undefined. `guard`: the write must change exactly one row, or the whole
   * transaction rolls back (checked by the caller when it ran, by PoolStore.finish when queued).
   */
  write(sql: string, params: unknown[], guard?: boolean, part?: MemberPart): Promise<number | undefined>;
}

/**
 * What a queued write is in a logon or logoff, when it is one of the writes a member procedure
 * makes itself (see PoolStore.finish): its params are then the procedure's, in the same order.
 * `session-start` inserts the session, `session-end` ends one session, `presence` is the user's
 * guarded presence update, `event` the outbox insert.
 */
export type MemberPart = 'session-start' | 'session-end' | 'presence' | 'event';

/** Writes that run as they are issued, on the manager's transaction. */
export function immediate(manager: EntityManager): StatementSink {
  return { manager, write: (sql, params) => execute(manager, sql, params) };
}

export interface QueuedStatement {
  sql: string;
  params: unknown[];
  guard: boolean;
  part?: MemberPart;
}

/**
 * A logon's or logoff's transaction (see Db.hot). On MariaDB its writes are queued and sent with
 * PoolStore.finish, which opens the transaction, runs them, updates the pools and commits, all in
 * one round trip (usually with other logons', see GroupCommit); `committed` once the database
 * committed it. On SQLite writes run as issued.
 */
export interface HotTx extends StatementSink {
  committed: boolean;
  /** MariaDB: the writes waiting for PoolStore.finish; undefined on SQLite. */
  queued: QueuedStatement[] | undefined;
}

type AfterCommit = () => void;
const AFTER_COMMIT = 'allocation.afterCommit';

/**
 * Runs callbacks once the surrounding transaction has committed (publishing live statistics,
 * kicking the outbox relay): never for a transaction that rolled back.
 */
class AfterCommitSubscriber implements EntitySubscriberInterface {
  afterTransactionCommit(event: { queryRunner: QueryRunner }): void {
    const callbacks = take(event.queryRunner);
    for (const callback of callbacks) callback();
  }

  afterTransactionRollback(event: { queryRunner: QueryRunner }): void {
    take(event.queryRunner);
  }
}

function take(queryRunner: QueryRunner): AfterCommit[] {
  const data = queryRunner.data as Record<string, AfterCommit[] | undefined>;
  const callbacks = data[AFTER_COMMIT] ?? [];
  delete data[AFTER_COMMIT];
  return callbacks;
}

export function afterCommit(manager: EntityManager, callback: AfterCommit): void {
  const runner = manager.queryRunner;
  if (!runner || !runner.isTransactionActive) {
    callback();
    return;
  }
  const data = runner.data as Record<string, AfterCommit[] | undefined>;
  (data[AFTER_COMMIT] ??= []).push(callback);
}

const MARIADB_RETRYABLE = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT']);
const SQLITE_RETRYABLE = new Set(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_LOCKED']);

function driverCode(error: unknown): string | undefined {
  if (!(error instanceof QueryFailedError)) return undefined;
  const driverError = error.driverError as { code?: unknown } | undefined;
  return typeof driverError?.code === 'string' ? driverError.code : undefined;
}

/** A unique index refused the row (a replayed event, a duplicate name). */
export function isDuplicateKey(error: unknown, index?: string): boolean {
  const code = driverCode(error);
  const duplicate =
    code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
  if (!duplicate || index === undefined) return duplicate;
  const message = String((error as Error).message);
  // MariaDB names the index; SQLite names the columns of the index.
  return message.includes(index) || code !== 'ER_DUP_ENTRY';
}

/**
 * The subgraph's access to its database. Transactions are retried when the engine gave up on
 * them (a MariaDB deadlock between two logons taking pools in different orders, a busy SQLite
 * file shared by several processes).
 *
 * better-sqlite3 has a single connection, and TypeORM runs concurrent transactions on it as
 * nested savepoints that interleave: one request's rollback could undo another's work, or
 * commit it half-done. So on SQLite every transaction of this data source (ours and the event
 * bus's) is queued behind the previous one, and reads wait their turn too, so they never see a
 * transaction in progress.
 */
export class Db {
  readonly kind: DatabaseKind;
  /** MariaDB: where logons and logoffs commit together (see GroupCommit). */
  readonly group: GroupCommit | undefined;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(readonly dataSource: DataSource) {
    this.kind = dataSource.options.type === 'better-sqlite3' ? 'sqlite' : 'mariadb';
    dataSource.subscribers.push(new AfterCommitSubscriber());
    if (this.kind === 'sqlite') this.serialiseTransactions();
    this.group = this.kind === 'mariadb' ? new GroupCommit(dataSource, { maxMembers: 64 }) : undefined;
  }

  private serialiseTransactions(): void {
    const original = this.dataSource.transaction.bind(this.dataSource) as (
      ...args: unknown[]
    ) => Promise<unknown>;
    const queued = (...args: unknown[]): Promise<unknown> => {
      const run = this.tail.then(() => original(...args));
      this.tail = run.catch(() => undefined);
      return run;
    };
    (this.dataSource as unknown as { transaction: typeof queued }).transaction = queued;
  }

  async tx<T>(work: (manager: EntityManager) => Promise<T>, attempts = 8): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.dataSource.transaction((manager) => work(manager));
      } catch (error) {
        const code = driverCode(error);
        const retryable = code !== undefined && (MARIADB_RETRYABLE.has(code) || SQLITE_RETRYABLE.has(code));
        if (!retryable || attempt >= attempts) throw error;
        await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
      }
    }
  }

  /**
   * A logon's or logoff's transaction, in as few round trips as the engine allows. On MariaDB:
   * the reads run first, without a transaction and without locks, each on whichever pooled
   * connection is free (what they saw is checked by the writes: the user's row_version, the
   * pools' conditions); the writes are queued; then PoolStore.finish sends START TRANSACTION,
   * the writes, the pool updates and the commit as one batch, with other logons' (GroupCommit).
   * No connection is held while the logon plans or waits for its group. On SQLite, an ordinary
   * transaction with writes as issued. Effects that must wait for the commit are the caller's to
   * run once this resolves.
   */
  hot<T>(work: (tx: HotTx) => Promise<T>, attempts = 8): Promise<T> {
    if (!tracingEnabled()) return this.hotAttempts(work, attempts);
    return inSpan('allocation', 'db transaction', { attributes: { 'db.system': this.kind } }, () =>
      this.hotAttempts(work, attempts),
    );
  }

  private async hotAttempts<T>(work: (tx: HotTx) => Promise<T>, attempts: number): Promise<T> {
    if (this.kind === 'sqlite') {
      return this.tx(
        (manager) =>
          work({
            manager,
            committed: false,
            queued: undefined,
            write: (sql, params) => execute(manager, sql, params),
          }),
        attempts,
      );
    }
    for (let attempt = 1; ; attempt += 1) {
      const queued: QueuedStatement[] = [];
      const tx: HotTx = {
        manager: this.dataSource.manager,
        committed: false,
        queued,
        write: async (sql, params, guard = false, part) => {
          queued.push({ sql, params, guard, ...(part ? { part } : {}) });
          return undefined;
        },
      };
      try {
        const result = await work(tx);
        if (queued.length > 0)
          throw new Error('queued writes were never sent (PoolStore.finish was not called)');
        return result;
      } catch (error) {
        const code = driverCode(error);
        if (code === undefined || !MARIADB_RETRYABLE.has(code) || attempt >= attempts) throw error;
      }
      await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
    }
  }

  /** Reads outside a transaction (on SQLite, in turn with the transactions). */
  async read<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.kind === 'sqlite') return this.dataSource.transaction((manager) => work(manager));
    return work(this.dataSource.manager);
  }

  /** ` FOR UPDATE` on MariaDB; SQLite's writer lock already covers the whole file. */
  get forUpdate(): string {
    return this.kind === 'mariadb' ? ' FOR UPDATE' : '';
  }

  get insertIgnore(): string {
    return this.kind === 'mariadb' ? 'INSERT IGNORE INTO' : 'INSERT OR IGNORE INTO';
  }
}

/** Runs a statement and returns how many rows it changed (both drivers). */
export async function execute(manager: EntityManager, sql: string, parameters: unknown[]): Promise<number> {
  const runner = manager.queryRunner ?? manager.connection.createQueryRunner();
  try {
    const result = await runner.query(sql, parameters, true);
    return result.affected ?? 0;
  } finally {
    if (!manager.queryRunner) await runner.release();
  }
}

export async function select<T>(manager: EntityManager, sql: string, parameters: unknown[]): Promise<T[]> {
  return (await manager.query(sql, parameters)) as T[];
}

export const num = (value: unknown): number => Number(value);
export const numOrNull = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value);
export const dateOrNull = (value: unknown): Date | null =>
  value === null || value === undefined ? null : new Date(Number(value));
export function json<T>(value: unknown, fallback: T): T {
  if (value === null || value === undefined || value === '') return fallback;
  return JSON.parse(String(value)) as T;
}

/** `?, ?, ?` for an IN list. */
export const placeholders = (count: number): string => Array.from({ length: count }, () => '?').join(', ');
