import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { PART_CATALOG } from '../part/part-catalog.js';

/**
 * Seeds the part catalogue (data from part/part-catalog.ts). It inserts only the parts the table lacks, so a later
 * migration that runs the same step after the catalogue grew adds the new parts and touches nothing else.
 */
export async function seedPartCatalog(q: QueryRunner): Promise<void> {
  const rows = (await q.query('SELECT part_number FROM part')) as Array<{ part_number: string }>;
  const present = new Set(rows.map((r) => r.part_number));
  let position = 0;
  for (const part of PART_CATALOG) {
    position += 1;
    if (present.has(part.partNumber)) continue;
    await q.query(
      'INSERT INTO part (part_number, description, kind, license_keys, has_upgrade_option, bundle, sort_order) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [
        part.partNumber,
        part.description,
        part.kind,
        JSON.stringify(part.keys),
        part.hasUpgradeOption ? 1 : 0,
        part.bundle ? JSON.stringify(part.bundle) : null,
        position,
      ],
    );
  }
}

export class PartCatalog1700000000111 implements MigrationInterface {
  name = 'PartCatalog1700000000111';

  async up(q: QueryRunner): Promise<void> {
    await seedPartCatalog(q);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DELETE FROM part');
  }
}
