import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';

/** Which licence-expiring warning (30, 7, 1 days) was announced for each activation file (issue 17). */
export class ExpiryWarning1765000017100 implements MigrationInterface {
  name = 'ExpiryWarning1765000017100';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn(
      'activation_file',
      new TableColumn({ name: 'expiry_warned_days', type: 'integer', isNullable: true }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('activation_file', 'expiry_warned_days');
  }
}
