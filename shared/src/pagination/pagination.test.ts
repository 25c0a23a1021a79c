import { randomUUID } from 'node:crypto';
import { EntitySchema } from 'typeorm';
import { openDatabase } from '../db/data-source.js';
import { type Database } from '../db/database.js';
import { describeEachDatabase, testEnvironment, type TestEnvironment } from '@lic/testing';
import {
  type Connection,
  type ListOrder,
  type SqlOrder,
  decodeCursor,
  encodeCursor,
  pageFromQuery,
  pageOf,
} from './pagination.js';

interface Item {
  id: string;
  at: number;
}

const ORDER: ListOrder<Item> = { list: 'items', direction: 'DESC', key: (i) => i.at, id: (i) => i.id };

/** Every item of a list, page after page, with the cursors of each page's end. */
async function pageThrough<T>(
  next: (after: string | null) => Promise<Connection<T>> | Connection<T>,
  between: () => Promise<void> | void = () => undefined,
): Promise<T[]> {
  const seen: T[] = [];
  let after: string | null = null;
  for (let guard = 0; guard < 100; guard += 1) {
    const page: Connection<T> = await next(after);
    seen.push(...page.edges.map((e) => e.node));
    if (!page.pageInfo.hasNextPage) return seen;
    after = page.pageInfo.endCursor;
    await between();
  }
  throw new Error('never reached the last page');
}

describe('cursors', () => {
  it('round-trip, are opaque base64url, and are refused for another list or when malformed', () => {
    const cursor = encodeCursor('items', new Date('2026-01-02T03:04:05Z'), 'a-1');
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor('items', cursor)).toEqual({ key: '2026-01-02T03:04:05.000Z', id: 'a-1' });
    for (const bad of ['', 'not a cursor!', Buffer.from('[1,2]').toString('base64url'), 'e30']) {
      expect(() => decodeCursor('items', bad)).toThrow(
        expect.objectContaining({ extensions: expect.objectContaining({ reason: 'INVALID_CURSOR' }) }),
      );
    }
    expect(() => decodeCursor('accounts', cursor)).toThrow(/another list/);
  });

  it.each(['', 'not a cursor!', Buffer.from('{"a":1}').toString('base64url'), 'x'.repeat(1100)])(
    'refuses a cursor it did not give out (#%#) with BAD_USER_INPUT on after',
    (cursor) => {
      expect(() => decodeCursor('apiKeys', cursor)).toThrow(
        expect.objectContaining({
          extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'after' }),
        }),
      );
    },
  );
});

describe('pageOf (in memory)', () => {
  const items: Item[] = [5, 3, 3, 9, 1, 7].map((at, i) => ({ id: `i${i}`, at }));

  it('pages in (key, id) order with no gap or repeat, and says when the list ends', async () => {
    const all = await pageThrough((after) => pageOf(items, { first: 2, after }, ORDER));
    expect(all.map((i) => i.at)).toEqual([9, 7, 5, 3, 3, 1]);
    expect(new Set(all.map((i) => i.id)).size).toBe(6);
    const last = pageOf(items, { first: 10 }, ORDER);
    expect(last.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false });
  });

  it('refuses a page size out of bounds with BAD_USER_INPUT and the bound', () => {
    for (const first of [0, -1, 201])
      expect(() => pageOf(items, { first }, ORDER)).toThrow(/first must be between 1 and 200/);
    expect(() => pageOf(items, { first: 11 }, ORDER, { defaultSize: 5, maxSize: 10 })).toThrow(
      /between 1 and 10/,
    );
    expect(pageOf(items, {}, ORDER, { defaultSize: 4, maxSize: 10 }).edges).toHaveLength(4);
  });

  it('takes 50 by default and builds pageInfo from one row more than the page', () => {
    const many = Array.from({ length: 60 }, (_, n) => ({ id: `m${n}`, at: n }));
    expect(pageOf(many, {}, ORDER).edges).toHaveLength(50);
    const rows = [1, 2, 3].map((n) => ({ id: `r${n}`, at: n }));
    const ascending: ListOrder<Item> = { ...ORDER, direction: 'ASC' };
    const page = pageOf(rows, { first: 2 }, ascending);
    expect(page.edges.map((e) => e.node.id)).toEqual(['r1', 'r2']);
    expect(page.pageInfo).toMatchObject({ hasNextPage: true, endCursor: encodeCursor('items', 2, 'r2') });
    expect(pageOf(rows, { first: 3 }, ascending).pageInfo.hasNextPage).toBe(false);
  });
});

const ItemSchema = new EntitySchema<Item>({
  name: 'PageItem',
  tableName: 'page_item',
  columns: {
    id: { type: 'varchar', length: 36, primary: true },
    at: { type: 'bigint', transformer: { to: (v: number) => v, from: (v: unknown) => Number(v) } },
  },
});

const SQL_ORDER: SqlOrder<Item> = { ...ORDER, keyColumn: 'p.at', idColumn: 'p.id' };

describeEachDatabase('pageFromQuery (keyset in SQL)', (database) => {
  let env: TestEnvironment;
  let db: Database;

  beforeAll(async () => {
    env = testEnvironment({ database });
    db = await openDatabase({
      config: env.config,
      name: 'pagination',
      entities: [ItemSchema],
      migrations: [],
    });
    await db.dataSource.query(
      'CREATE TABLE page_item (id VARCHAR(36) NOT NULL PRIMARY KEY, at BIGINT NOT NULL)',
    );
  });
  afterAll(async () => {
    await db.close();
    await env.cleanup();
  });

  const insert = (rows: Item[]) => db.dataSource.getRepository(ItemSchema).insert(rows);
  const page = (after: string | null) =>
    pageFromQuery(
      db.dataSource.getRepository(ItemSchema).createQueryBuilder('p'),
      { first: 3, after },
      SQL_ORDER,
    );

  it('keeps pages stable while rows are inserted between them: none skipped, none repeated', async () => {
    const original = Array.from({ length: 10 }, (_, i) => ({ id: randomUUID(), at: 1000 + (i % 4) * 10 }));
    await insert(original);
    let n = 0;
    const seen = await pageThrough(page, async () => {
      // Newer rows (before the cursor) and rows tied on the key: neither may shift the pages.
      n += 1;
      await insert([
        { id: randomUUID(), at: 5000 + n },
        { id: randomUUID(), at: 1000 },
      ]);
    });
    const ids = seen.map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const row of original) expect(ids).toContain(row.id);
    const keys = seen.map((i) => i.at);
    expect([...keys].sort((a, b) => b - a)).toEqual(keys);
  });
});
