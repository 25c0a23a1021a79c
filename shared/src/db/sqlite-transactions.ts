import { AsyncLocalStorage } from 'node:async_hooks';
import { type DataSource, type EntityManager } from 'typeorm';

/** What the better-sqlite3 driver keeps of its one connection and its one query runner. */
interface SqliteConnection {
  inTransaction: boolean;
  exec(sql: string): unknown;
}
interface SqliteRunnerState {
  isTransactionActive: boolean;
  transactionDepth: number;
  data: Record<string, unknown>;
  query: (...args: unknown[]) => Promise<unknown>;
}

/** The data source whose root SQLite transaction the current async flow is inside. */
const inside = new AsyncLocalStorage<DataSource>();

/**
 * Runs `work` as if outside any transaction: a transaction it begins queues behind the current
 * one instead of nesting in it (after-commit callbacks run so, from inside the commit).
 */
export function outsideSqliteTransaction<T>(work: () => T): T {
  return inside.exit(work);
}

/**
 * Refuses a statement meant for a transaction that SQLite has already rolled back by itself (a
 * full disk): run anyway, it would commit on its own, outside any transaction, and a caller that
 * caught the first error and went on would leave half its writes behind.
 */
function guardStatements(
  driver: { databaseConnection?: SqliteConnection },
  runner: SqliteRunnerState,
  dataSource: DataSource,
): void {
  const query = runner.query.bind(runner);
  runner.query = (...args: unknown[]): Promise<unknown> => {
    // Only a statement of a transaction's own flow: a statement of another flow (a scheduler's read
    // outside any transaction) may land between a COMMIT and TypeORM lowering its depth, and is
    // rightly run on its own.
    if (
      inside.getStore() === dataSource &&
      runner.transactionDepth > 0 &&
      driver.databaseConnection?.inTransaction === false
    ) {
      return Promise.reject(
        Object.assign(
          new Error('SQLite rolled the transaction back (disk full or I/O error); statement not run'),
          {
            code: 'SQLITE_ABORT_ROLLBACK',
          },
        ),
      );
    }
    return query(...args);
  };
}

/**
 * TypeORM's better-sqlite3 driver has one connection and one query runner, and it nests a
 * transaction started while another is open as a savepoint of it. Two concurrent
 * `dataSource.transaction` calls (two event consumers, a consumer and a mutation) therefore
 * interleave: one's commit releases the other's savepoint and one's rollback undoes both.
 * Running root transactions one after another restores isolation. A transaction started from
 * inside one (same async context) still nests, so re-entrance cannot deadlock.
 *
 * Each root transaction also starts and ends with the connection and the query runner agreeing
 * that no transaction is open. On a full disk (SQLITE_FULL, SQLITE_IOERR) SQLite may roll the
 * whole transaction back by itself; TypeORM's own ROLLBACK then fails ("no transaction is
 * active") and leaves its runner believing a transaction is open, so it starts the next one as
 * `SAVEPOINT typeorm_1` and, after one more failure, commits every later one only by releasing a
 * savepoint of a transaction that never commits: callers are told their writes committed, and a
 * restart loses all of them. Here a root transaction that failed is rolled back on the connection
 * itself and the runner reset; one whose commit left the connection inside a transaction is
 * rolled back and reported as failed.
 */
export function serializeSqliteTransactions(dataSource: DataSource): void {
  const manager: EntityManager = dataSource.manager;
  const original = manager.transaction.bind(manager) as (...args: unknown[]) => Promise<unknown>;
  const driver = dataSource.driver as unknown as { databaseConnection?: SqliteConnection };
  // The driver hands out its one query runner, whatever the mode.
  const runner = (): SqliteRunnerState => dataSource.createQueryRunner() as unknown as SqliteRunnerState;
  const open = (): boolean => {
    const state = runner();
    return (
      driver.databaseConnection?.inTransaction === true ||
      state.isTransactionActive ||
      state.transactionDepth !== 0
    );
  };
  /** Ends whatever transaction is open and makes the runner say so (its pending callbacks dropped). */
  const settle = (): void => {
    const connection = driver.databaseConnection;
    if (connection?.inTransaction) connection.exec('ROLLBACK');
    const state = runner();
    state.isTransactionActive = false;
    state.transactionDepth = 0;
    state.data = {};
  };
  const root = async (...args: unknown[]): Promise<unknown> => {
    if (open()) settle();
    let result: unknown;
    try {
      result = await original(...args);
    } catch (error) {
      if (open()) settle();
      throw error;
    }
    if (open()) {
      settle();
      throw new Error('the SQLite transaction was still open after its COMMIT; rolled back');
    }
    return result;
  };
  guardStatements(driver, runner(), dataSource);
  let tail: Promise<unknown> = Promise.resolve();
  const serialized = (...args: unknown[]): Promise<unknown> => {
    if (inside.getStore() === dataSource) return original(...args);
    const run = tail.then(() => inside.run(dataSource, () => root(...args)));
    tail = run.catch(() => undefined);
    return run;
  };
  Object.defineProperty(manager, 'transaction', { value: serialized, configurable: true, writable: true });
}
