import { type DataSource, type EntityManager } from 'typeorm';

/**
 * Runs this subgraph's transactions. better-sqlite3 gives TypeORM one connection per process, on
 * which a second `transaction()` begun while another is open silently becomes a SAVEPOINT inside
 * it (and commits or rolls back with it), so on SQLite ours are queued one after another.
 * MariaDB has a connection per transaction and needs no queue.
 */
export class Transactions {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly dataSource: DataSource,
    private readonly serialize: boolean,
  ) {}

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (!this.serialize) return this.dataSource.transaction(work);
    const result = this.tail.then(() => this.dataSource.transaction(work));
    this.tail = result.catch(() => undefined);
    return result;
  }
}
