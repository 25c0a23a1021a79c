import { EVENT_MIGRATIONS, openDatabase } from '@lic/shared';
import { describeEachDatabase, testEnvironment } from '@lic/testing';
import { migrations } from './index.js';

/** Servers registered before machine names were unique: the migration must keep them all. */
describeEachDatabase('migration 1765000001200 (file binding)', (database) => {
  it('keys existing duplicate machine names apart, keeps every server, and makes the rest PRODUCTION', async () => {
    const env = testEnvironment({ database });
    const before = migrations.slice(
      0,
      migrations.findIndex((m) => m.name === 'FileBinding1765000001200'),
    );
    const open = (list: typeof migrations) =>
      openDatabase({
        config: env.config,
        name: 'allocation',
        entities: [],
        migrations: [...EVENT_MIGRATIONS, ...list],
      });
    try {
      const old = await open(before);
      const insert =
        'INSERT INTO server (id, account_id, install_site_id, name, created_at) VALUES (?, ?, ?, ?, ?)';
      await old.dataSource.query(insert, ['s-1', 'acc-1', 'site-1', 'CIC-01', 1]);
      await old.dataSource.query(insert, ['s-2', 'acc-1', 'site-1', ' cic-01', 2]);
      await old.dataSource.query(insert, ['s-3', 'acc-2', 'site-2', 'cic-01', 3]);
      await old.dataSource.query("UPDATE server SET license_file_id = 'af-1' WHERE id = 's-1'");
      await old.close();

      const migrated = await open(migrations);
      try {
        const rows = (await migrated.dataSource.query(
          'SELECT id, name, machine_key, environment, license_revision FROM server ORDER BY id',
        )) as Array<Record<string, unknown>>;
        expect(
          rows.map((r) => ({
            ...r,
            license_revision: r['license_revision'] === null ? null : Number(r['license_revision']),
          })),
        ).toEqual([
          {
            id: 's-1',
            name: 'CIC-01',
            machine_key: 'cic-01',
            environment: 'PRODUCTION',
            license_revision: 1,
          },
          {
            id: 's-2',
            name: ' cic-01',
            machine_key: 'cic-01#s-2',
            environment: 'PRODUCTION',
            license_revision: null,
          },
          {
            id: 's-3',
            name: 'cic-01',
            machine_key: 'cic-01',
            environment: 'PRODUCTION',
            license_revision: null,
          },
        ]);
        // From now on the index refuses a second row of a name in an account.
        await expect(
          migrated.dataSource.query(
            "INSERT INTO server (id, account_id, install_site_id, name, machine_key, created_at) VALUES ('s-4', 'acc-2', 'site-2', 'CIC-01', 'cic-01', 4)",
          ),
        ).rejects.toThrow();
      } finally {
        await migrated.close();
      }
    } finally {
      await env.cleanup();
    }
  });
});
