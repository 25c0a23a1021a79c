import { type EntityManager } from 'typeorm';
import { ManualClock } from '../clock/clock.js';
import { EVENT_MIGRATIONS } from '../events/events-migration.js';
import { EVENT_ENTITIES } from '../events/outbox.entity.js';
import { onEventsCommitted, recordEvent, recordRawEvent } from '../events/outbox.js';
import { Topics } from '../events/types.js';
import { describeEachDatabase, testEnvironment, type TestEnvironment } from '@lic/testing';
import { openDatabase } from './data-source.js';
import { type Database, afterCommit } from './database.js';
import { isRetryable, isUniqueViolation } from './sql.js';

describeEachDatabase('the database kernel', (engine) => {
  let env: TestEnvironment;
  let db: Database;
  const clock = new ManualClock('2026-06-01T00:00:00Z');

  beforeAll(async () => {
    env = testEnvironment({ database: engine });
    db = await openDatabase({
      config: env.config,
      name: 'kernel',
      entities: EVENT_ENTITIES,
      migrations: EVENT_MIGRATIONS,
    });
    await db.dataSource.query('CREATE TABLE kernel_row (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)');
  });
  afterAll(async () => {
    await db.close();
    await env.cleanup();
  });
  beforeEach(async () => {
    await db.dataSource.query('DELETE FROM kernel_row');
    await db.dataSource.query('INSERT INTO kernel_row (id, n) VALUES (1, 0), (2, 0)');
  });

  const rows = async (): Promise<number[]> =>
    (await db.dataSource.query('SELECT n FROM kernel_row ORDER BY id')).map((r: { n: unknown }) =>
      Number(r.n),
    );

  it('runs after-commit callbacks once the transaction committed, never for one rolled back', async () => {
    const ran: string[] = [];
    await db.transaction(async (m) => {
      await m.query('UPDATE kernel_row SET n = 1 WHERE id = 1');
      afterCommit(m, () => ran.push('committed'));
      expect(ran).toEqual([]);
    });
    expect(ran).toEqual(['committed']);

    await expect(
      db.transaction(async (m) => {
        await m.query('UPDATE kernel_row SET n = 2 WHERE id = 1');
        afterCommit(m, () => ran.push('rolled back'));
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(ran).toEqual(['committed']);
    expect(await rows()).toEqual([1, 0]);
  });

  it('lets a transaction begun inside another run in it (a savepoint) instead of waiting for itself', async () => {
    const ran: string[] = [];
    await db.transaction(async (m) => {
      await m.query('UPDATE kernel_row SET n = 1 WHERE id = 1');
      await db.transaction(async (inner) => {
        await inner.query('UPDATE kernel_row SET n = 1 WHERE id = 2');
        afterCommit(inner, () => ran.push('inner'));
      });
      // The inner one's commit is only a savepoint released: its callback waits for the outer one.
      expect(ran).toEqual([]);
      // A failed inner transaction rolls back to its savepoint and takes its callbacks with it.
      await db
        .transaction(async (inner) => {
          await inner.query('UPDATE kernel_row SET n = 9 WHERE id = 1');
          afterCommit(inner, () => ran.push('undone'));
          throw new Error('inner refused');
        })
        .catch(() => undefined);
    });
    expect(ran).toEqual(['inner']);
    expect(await rows()).toEqual([1, 1]);
  });

  it('runs a callback outside any transaction at once', () => {
    let ran = false;
    afterCommit(db.dataSource.manager, () => (ran = true));
    expect(ran).toBe(true);
  });

  it('tells the relay of recorded events once they have committed, not before and not on rollback', async () => {
    let told = 0;
    const stop = onEventsCommitted(db.dataSource, () => (told += 1));
    try {
      await db.transaction(async (m) => {
        await recordRawEvent(m, clock, 'kernel.test', { n: 1 });
        expect(told).toBe(0);
      });
      expect(told).toBe(1);
      await db
        .transaction(async (m) => {
          await recordRawEvent(m, clock, 'kernel.test', { n: 2 });
          throw new Error('refused');
        })
        .catch(() => undefined);
      expect(told).toBe(1);
      // Transactions begun without the kernel (the bus's consumers) are covered as well.
      await db.dataSource.transaction((m) => recordRawEvent(m, clock, 'kernel.test', { n: 3 }));
      expect(told).toBe(2);
    } finally {
      stop();
    }
  });

  it('records only payloads that keep their topic contract (a compile-time check)', async () => {
    const id = await db.transaction((m) =>
      recordEvent(m, clock, Topics.AccountCreated, { accountId: 'a-1', name: 'Acme', kind: 'CUSTOMER' }),
    );
    const [row] = (await db.dataSource.query('SELECT topic FROM outbox_event WHERE event_id = ?', [
      id,
    ])) as Array<{
      topic: string;
    }>;
    expect(row?.topic).toBe(Topics.AccountCreated);
    const wrong = (m: EntityManager) =>
      // @ts-expect-error: accounts.account-created has no `serverId`, and needs an account id.
      recordEvent(m, clock, Topics.AccountCreated, { serverId: 's-1' });
    expect(typeof wrong).toBe('function');
  });

  it('knows a unique key violation from other errors', async () => {
    const error = await db.dataSource
      .query('INSERT INTO kernel_row (id, n) VALUES (1, 5)')
      .catch((e: unknown) => e);
    expect(isUniqueViolation(error)).toBe(true);
    expect(isRetryable(error)).toBe(false);
    const other = await db.dataSource.query('SELECT nothing FROM kernel_row').catch((e: unknown) => e);
    expect(isUniqueViolation(other)).toBe(false);
  });

  if (engine === 'mariadb') {
    it('runs a transaction again when MariaDB chose it as a deadlock victim', async () => {
      // Two transactions take the two rows in opposite orders: MariaDB kills one, which the kernel
      // runs again; both increments land.
      let attempts = 0;
      let arrived = 0;
      let release!: () => void;
      const bothHoldOne = new Promise<void>((resolve) => (release = resolve));
      const crosswise = (first: number, second: number) =>
        db.transaction(async (m) => {
          attempts += 1;
          await m.query('UPDATE kernel_row SET n = n + 1 WHERE id = ?', [first]);
          arrived += 1;
          if (arrived === 2) release();
          await bothHoldOne;
          await m.query('UPDATE kernel_row SET n = n + 1 WHERE id = ?', [second]);
        });
      await Promise.all([crosswise(1, 2), crosswise(2, 1)]);
      expect(attempts).toBe(3);
      expect(await rows()).toEqual([2, 2]);
    });
  }
});
