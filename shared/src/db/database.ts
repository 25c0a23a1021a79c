import { AsyncLocalStorage } from 'node:async_hooks';
import {
  type DataSource,
  type EntityManager,
  type EntitySubscriberInterface,
  type QueryRunner,
} from 'typeorm';
import { type Dialect, forUpdate, insertIgnore, isRetryable } from './sql.js';
import { outsideSqliteTransaction } from './sqlite-transactions.js';
import { type StatementCounter } from './statement-counter.js';

/**
 * The database kernel every subgraph uses: how a transaction runs (serialised on SQLite,
 * re-entrant, retried when the engine gave up on it), what runs once it has committed, and the
 * few dialect differences. docs/architecture.md, "Database", says how the pieces fit.
 */

type Callback = () => void;
interface Pending {
  /** The runner's transaction depth when the callback was registered (savepoints nest). */
  depth: number;
  callback: Callback;
}

const PENDING = 'lic.afterCommit';

/** The kernel transaction the current async flow is inside, if any. */
interface Scope {
  dataSource: DataSource;
  manager: EntityManager;
  open: boolean;
}
const scope = new AsyncLocalStorage<Scope>();

/** TypeORM keeps a runner's nesting depth (1 in a transaction, 2 in its first savepoint, …) untyped. */
function depthOf(runner: QueryRunner): number {
  return (runner as unknown as { transactionDepth: number }).transactionDepth;
}

function pendingOf(runner: QueryRunner): Pending[] {
  const data = runner.data as Record<string, Pending[] | undefined>;
  return (data[PENDING] ??= []);
}

/**
 * Runs callbacks once the outermost transaction has committed, never for one that rolled back,
 * and drops a callback registered inside a savepoint that rolled back. Outside any transaction a
 * callback runs at once. Callbacks run outside the transaction's async context, so one that
 * starts work of its own (a relay run) opens transactions of its own.
 */
export function afterCommit(manager: EntityManager, callback: Callback): void {
  const runner = manager.queryRunner;
  if (!runner || !runner.isTransactionActive) {
    callback();
    return;
  }
  pendingOf(runner).push({ depth: depthOf(runner), callback });
}

class AfterCommitSubscriber implements EntitySubscriberInterface {
  afterTransactionCommit(event: { queryRunner: QueryRunner }): void {
    const runner = event.queryRunner;
    const data = runner.data as Record<string, Pending[] | undefined>;
    const pending = data[PENDING];
    if (!pending) return;
    if (runner.isTransactionActive) {
      // A savepoint released: its callbacks now belong to the enclosing transaction (and go if
      // that one is rolled back to an earlier savepoint).
      const depth = depthOf(runner);
      for (const p of pending) if (p.depth > depth) p.depth = depth;
      return;
    }
    delete data[PENDING];
    scope.exit(() =>
      outsideSqliteTransaction(() => {
        for (const { callback } of pending) callback();
      }),
    );
  }

  afterTransactionRollback(event: { queryRunner: QueryRunner }): void {
    const runner = event.queryRunner;
    const data = runner.data as Record<string, Pending[] | undefined>;
    const pending = data[PENDING];
    if (!pending) return;
    if (!runner.isTransactionActive) {
      delete data[PENDING];
      return;
    }
    // A savepoint rolled back: what was registered inside it goes with it.
    data[PENDING] = pending.filter((p) => p.depth <= depthOf(runner));
  }
}

const installed = new WeakSet<DataSource>();

/** Makes `afterCommit` work on every transaction of the data source (the kernel's and the bus's). */
export function installAfterCommit(dataSource: DataSource): void {
  if (installed.has(dataSource)) return;
  installed.add(dataSource);
  dataSource.subscribers.push(new AfterCommitSubscriber());
}

export interface TransactionOptions {
  /** How many times in all a transaction the engine gave up on is run (default 8). */
  attempts?: number;
}

/**
 * A subgraph's database. Every write goes through `transaction`; reads that must not see a
 * transaction in progress go through `read`.
 */
export class Database {
  readonly kind: Dialect;

  constructor(
    readonly dataSource: DataSource,
    /** Counts the statements each request sends (tests and the statement budget read it). */
    readonly statements: StatementCounter,
    private readonly destroy: () => Promise<void> = () => dataSource.destroy(),
  ) {
    const type = dataSource.options.type;
    this.kind = type === 'mariadb' || type === 'mysql' ? 'mariadb' : 'sqlite';
    installAfterCommit(dataSource);
  }

  /**
   * Runs `work` in a transaction and returns what it returned; the transaction rolls back when it
   * throws. Called from inside another transaction of this database (same async flow), `work`
   * runs in a savepoint of it instead: re-entrance never waits for itself. A transaction the
   * engine gave up on (a MariaDB deadlock or lock-wait timeout, a SQLite file kept busy by another
   * process) is run again from the start, after a short random pause; so `work` must not have
   * effects outside the database except through `afterCommit`.
   *
   * On SQLite the one connection runs one transaction at a time: they queue (see
   * sqlite-transactions.ts).
   */
  async transaction<T>(
    work: (manager: EntityManager) => Promise<T>,
    options: TransactionOptions = {},
  ): Promise<T> {
    const outer = scope.getStore();
    if (outer?.open && outer.dataSource === this.dataSource) return outer.manager.transaction(work);
    const attempts = options.attempts ?? 8;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.dataSource.transaction((manager) => {
          const current: Scope = { dataSource: this.dataSource, manager, open: true };
          return scope.run(current, async () => {
            try {
              return await work(manager);
            } finally {
              current.open = false;
            }
          });
        });
      } catch (error) {
        if (!isRetryable(error) || attempt >= attempts) throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
    }
  }

  /**
   * Runs reads that must see only committed data: on SQLite in turn with the transactions (a plain
   * read on its one connection would see a transaction in progress, which may yet roll back); on
   * MariaDB on whichever pooled connection is free, without a transaction.
   */
  read<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.kind === 'sqlite') return this.dataSource.transaction(work);
    return work(this.dataSource.manager);
  }

  /** ` FOR UPDATE` on MariaDB; nothing on SQLite. */
  get forUpdate(): string {
    return forUpdate(this.kind);
  }

  /** `INSERT IGNORE INTO` or `INSERT OR IGNORE INTO`. */
  get insertIgnore(): string {
    return insertIgnore(this.kind);
  }

  close(): Promise<void> {
    return this.destroy();
  }
}
