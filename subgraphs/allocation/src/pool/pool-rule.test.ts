import { EVENT_ENTITIES, EVENT_MIGRATIONS, type Database, openDatabase } from '@lic/shared';
import { describeEachDatabase, testEnvironment, type TestEnvironment } from '@lic/testing';
import { entities } from '../entities.js';
import { migrations } from '../migrations/index.js';
import { hasRoom, poolHasRoomSql } from '../rules/pools.js';

// The pool rule is written once (rules/pools.ts) and used as TypeScript and as SQL: these check
// that the SQL says what the function says, and that the logon path's stored procedure says it too.
describeEachDatabase('the pool rule, stated once', (engine) => {
  let env: TestEnvironment;
  let db: Database;

  beforeAll(async () => {
    env = testEnvironment({ database: engine });
    db = await openDatabase({
      config: env.config,
      name: 'allocation',
      entities: [...EVENT_ENTITIES, ...entities],
      migrations: [...EVENT_MIGRATIONS, ...migrations],
      multipleStatements: true,
    });
  });
  afterAll(async () => {
    await db.close();
    await env.cleanup();
  });

  it('admits exactly the pools the function admits, capped or not, over and under their limit', async () => {
    const cases: Array<{ inUse: number; limit: number | null }> = [];
    for (const limit of [null, 0, 1, 5]) for (const inUse of [0, 1, 4, 5, 6]) cases.push({ inUse, limit });
    await db.dataSource.query(
      'CREATE TABLE pool_rule_case (id INTEGER PRIMARY KEY, in_use INTEGER NOT NULL, limit_total INTEGER NULL)',
    );
    try {
      for (const [id, c] of cases.entries())
        await db.dataSource.query('INSERT INTO pool_rule_case (id, in_use, limit_total) VALUES (?, ?, ?)', [
          id,
          c.inUse,
          c.limit,
        ]);
      const admitted = (await db.dataSource.query(
        `SELECT p.id FROM pool_rule_case p WHERE ${poolHasRoomSql('p')} ORDER BY p.id`,
      )) as Array<{ id: unknown }>;
      const expected = cases.flatMap((c, id) => (hasRoom(c.inUse, c.limit) ? [id] : []));
      expect(admitted.map((r) => Number(r.id))).toEqual(expected);
      // The rule, checked on the table it guards, without an alias.
      const plain = (await db.dataSource.query(
        `SELECT id FROM pool_rule_case WHERE ${poolHasRoomSql()} ORDER BY id`,
      )) as Array<{ id: unknown }>;
      expect(plain.map((r) => Number(r.id))).toEqual(expected);
    } finally {
      await db.dataSource.query('DROP TABLE pool_rule_case');
    }
  });

  if (engine === 'mariadb') {
    it('is the condition of every take in the logon path stored procedure', async () => {
      const [routine] = (await db.dataSource.query(
        'SELECT ROUTINE_DEFINITION AS body FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE() AND ROUTINE_NAME = ?',
        ['allocation_member_pools'],
      )) as Array<{ body: string }>;
      expect(routine).toBeDefined();
      const takes = routine!.body.match(/UPDATE license_pool SET\s+peak_at[\s\S]*?;/g) ?? [];
      expect(takes.length).toBeGreaterThan(0);
      for (const take of takes) expect(take).toContain(poolHasRoomSql());
    });
  }
});
