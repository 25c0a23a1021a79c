import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';

/**
 * Activation files get a revision: 1 when generated, one more on every update, and signed into the
 * content. Files that exist already were signed without one, which reads as revision 1, so they all
 * start at 1 (the column's default).
 */
export class FileRevision1765000001100 implements MigrationInterface {
  name = 'FileRevision1765000001100';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn(
      'activation_file',
      new TableColumn({ name: 'revision', type: 'integer', isNullable: false, default: 1 }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('activation_file', 'revision');
  }
}
