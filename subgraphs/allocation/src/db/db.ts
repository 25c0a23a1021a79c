import { type DataSource, type EntityManager } from 'typeorm';
import { type Database, type Dialect, execute, inSpan, isLockConflict, tracingEnabled } from '@lic/shared';
import { GroupCommit } from './group-commit.js';

export type DatabaseKind = Dialect;

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

/**
 * The subgraph's access to its database: the shared kernel (`Database`: transactions, retries,
 * after-commit) plus the logon path's own layer, `hot`, with MariaDB's group commit. See the
 * subgraph's README, "Group commit".
 */
export class Db {
  readonly kind: DatabaseKind;
  readonly dataSource: DataSource;
  /** MariaDB: where logons and logoffs commit together (see GroupCommit). */
  readonly group: GroupCommit | undefined;

  constructor(readonly database: Database) {
    this.dataSource = database.dataSource;
    this.kind = database.kind;
    this.group = this.kind === 'mariadb' ? new GroupCommit(this.dataSource, { maxMembers: 64 }) : undefined;
  }

  /** A transaction of the kernel (`Database.transaction`: re-entrant, retried, after-commit). */
  tx<T>(work: (manager: EntityManager) => Promise<T>, attempts = 8): Promise<T> {
    return this.database.transaction(work, { attempts });
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
        if (!isLockConflict(error) || attempt >= attempts) throw error;
      }
      await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
    }
  }

  /** Reads outside a transaction (on SQLite, in turn with the transactions). */
  read<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.database.read(work);
  }

  /** ` FOR UPDATE` on MariaDB; SQLite's writer lock already covers the whole file. */
  get forUpdate(): string {
    return this.database.forUpdate;
  }

  get insertIgnore(): string {
    return this.database.insertIgnore;
  }
}
