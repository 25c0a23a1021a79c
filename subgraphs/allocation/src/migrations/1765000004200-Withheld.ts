import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';

/**
 * Withheld assignments and continuous expiry. `license_pool.withheld` counts assigned licences
 * taken out of `in_use` while enforcement (stage 4: supervisor licences; stage 6: all) or an
 * expired file withholds them: the assignment stays configured, and the licences count again
 * when lifted. `server.license_expired_at` records when the expiry scheduler ended the loaded
 * file (null while it runs); loading another file clears it.
 */
export class Withheld1765000004200 implements MigrationInterface {
  name = 'Withheld1765000004200';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn(
      'license_pool',
      new TableColumn({ name: 'withheld', type: 'integer', default: 0, isNullable: false }),
    );
    await q.addColumn(
      'server',
      new TableColumn({ name: 'license_expired_at', type: 'bigint', isNullable: true }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('server', 'license_expired_at');
    await q.dropColumn('license_pool', 'withheld');
  }
}
