import * as accounts from '@lic/accounts';
import * as allocation from '@lic/allocation';
import * as billing from '@lic/billing';
import * as enforcement from '@lic/enforcement';
import { EVENT_ENTITIES, EVENT_MIGRATIONS, openDatabase } from '@lic/shared';
import { describeEachDatabase, testEnvironment } from '@lic/testing';

const subgraphs = { accounts, allocation, billing, enforcement };

describeEachDatabase('migrations', (database) => {
  it.each(Object.keys(subgraphs))(
    '%s: the migrations build exactly the schema its entities describe',
    async (name) => {
      const env = testEnvironment({ database });
      const { entities, migrations } = subgraphs[name as keyof typeof subgraphs];
      const db = await openDatabase({
        config: env.config,
        name,
        entities: [...EVENT_ENTITIES, ...entities],
        migrations: [...EVENT_MIGRATIONS, ...migrations],
      });
      try {
        const pending = await db.dataSource.driver.createSchemaBuilder().log();
        expect(pending.upQueries.map((q) => q.query)).toEqual([]);
        // Running them again changes nothing (a restart, or a second replica).
        expect(await db.dataSource.runMigrations()).toEqual([]);
      } finally {
        await db.close();
        await env.cleanup();
      }
    },
  );
});
