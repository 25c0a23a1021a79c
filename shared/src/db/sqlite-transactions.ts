import { AsyncLocalStorage } from 'node:async_hooks';
import { type DataSource, type EntityManager } from 'typeorm';

/**
 * TypeORM's better-sqlite3 driver has one connection and one query runner, and it nests a
 * transaction started while another is open as a savepoint of it. Two concurrent
 * `dataSource.transaction` calls (two event consumers, a consumer and a mutation) therefore
 * interleave: one's commit releases the other's savepoint and one's rollback undoes both.
 * Running root transactions one after another restores isolation. A transaction started from
 * inside one (same async context) still nests, so re-entrance cannot deadlock.
 */
export function serializeSqliteTransactions(dataSource: DataSource): void {
  const manager: EntityManager = dataSource.manager;
  const original = manager.transaction.bind(manager) as (...args: unknown[]) => Promise<unknown>;
  const inside = new AsyncLocalStorage<true>();
  let tail: Promise<unknown> = Promise.resolve();
  const serialized = (...args: unknown[]): Promise<unknown> => {
    if (inside.getStore()) return original(...args);
    const run = tail.then(() => inside.run(true, () => original(...args)));
    tail = run.catch(() => undefined);
    return run;
  };
  Object.defineProperty(manager, 'transaction', { value: serialized, configurable: true, writable: true });
}
