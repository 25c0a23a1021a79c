import { DataSource } from 'typeorm';
import { serializeSqliteTransactions } from './sqlite-transactions.js';

describe('serializeSqliteTransactions', () => {
  let dataSource: DataSource;
  beforeEach(async () => {
    dataSource = new DataSource({ type: 'better-sqlite3', database: ':memory:' });
    await dataSource.initialize();
    serializeSqliteTransactions(dataSource);
    await dataSource.query('CREATE TABLE t (x integer)');
  });
  afterEach(() => dataSource.destroy());

  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('keeps concurrent transactions apart: one rolling back does not undo the other', async () => {
    const committed = dataSource.transaction(async (m) => {
      await m.query('INSERT INTO t VALUES (1)');
      await pause(20);
    });
    const failed = dataSource.transaction(async (m) => {
      await m.query('INSERT INTO t VALUES (2)');
      await pause(5);
      throw new Error('rolled back');
    });
    expect((await Promise.allSettled([committed, failed])).map((r) => r.status)).toEqual([
      'fulfilled',
      'rejected',
    ]);
    expect(await dataSource.query('SELECT x FROM t')).toEqual([{ x: 1 }]);
  });

  it('lets a transaction started inside another nest instead of waiting for itself', async () => {
    await dataSource.transaction(async (m) => {
      await m.query('INSERT INTO t VALUES (1)');
      await dataSource.transaction((inner) => inner.query('INSERT INTO t VALUES (2)'));
    });
    expect(await dataSource.query('SELECT x FROM t ORDER BY x')).toEqual([{ x: 1 }, { x: 2 }]);
  });

  it('runs a read of another flow that lands between a COMMIT and the runner lowering its depth', async () => {
    // A scheduler reading outside any transaction while consumers commit: the read must run (on
    // its own), never be taken for a statement of a transaction SQLite rolled back.
    const failures: unknown[] = [];
    let writing = true;
    const writes = (async () => {
      for (let i = 0; i < 300; i += 1) {
        await dataSource.transaction((m) => m.query('INSERT INTO t VALUES (?)', [i]));
      }
      writing = false;
    })();
    const reads = (async () => {
      while (writing) {
        await dataSource.query('SELECT COUNT(*) AS n FROM t').catch((error: unknown) => failures.push(error));
      }
    })();
    await Promise.all([writes, reads]);
    expect(failures).toEqual([]);
    expect(await dataSource.query('SELECT COUNT(*) AS n FROM t')).toEqual([{ n: 300 }]);
  });
});
