import { type MigrationInterface, type QueryRunner, TableColumn, TableIndex } from 'typeorm';

/**
 * Billing categories from the user's own licences (category mapping 2020R1-2): usage events
 * record a telephone-only logon (billed as AGENT), and usage sessions are found by the mapping
 * version they were derived with, so that those of an older version are derived again.
 */
export class UserLicenseCategories1765000003100 implements MigrationInterface {
  name = 'UserLicenseCategories1765000003100';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn(
      'usage_event',
      new TableColumn({ name: 'telephone_only', type: 'integer', default: 0, isNullable: false }),
    );
    await q.createIndex(
      'usage_session',
      new TableIndex({
        name: 'ix_usage_session_version',
        columnNames: ['category_version', 'server_id', 'user_id', 'active_start'],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('usage_session', 'ix_usage_session_version');
    await q.dropColumn('usage_event', 'telephone_only');
  }
}
