import { type MigrationInterface, type QueryRunner, TableForeignKey } from 'typeorm';

/** The boolean columns of 110 and the default each was written with. */
const FLAGS: Record<string, Record<string, boolean>> = {
  install_site: { active: true },
  part: { has_upgrade_option: false },
  sales_order: { maintenance_paid: false, mirroring: false },
  activation_file: { provide_switchover_later: false, active: true },
  activation_file_item: { taken: false },
  activation_file_request: { urgent: false },
};

/** The tables whose foreign keys 110 declared without ON DELETE / ON UPDATE. */
const WITH_FOREIGN_KEYS = [
  'install_site',
  'sales_order',
  'sales_order_line',
  'ordered_item',
  'activation_file',
  'activation_file_item',
  'activation_file_request',
  'afr_message',
  'afr_attachment',
];

/**
 * Nothing changes in meaning; 110's schema is respelled so that it matches its entities on both engines
 * (as enforcement's 401 did):
 * - 110 wrote the boolean defaults as `false`/`true`, which SQLite keeps verbatim while the entities (and
 *   MariaDB) say 0/1.
 * - 110's foreign keys left the referential actions to the engine: SQLite reports NO ACTION, MariaDB
 *   RESTRICT (the same behaviour there). They now say NO ACTION on both, as the entities do.
 */
export class SchemaSpelling1700000000112 implements MigrationInterface {
  name = 'SchemaSpelling1700000000112';

  async up(q: QueryRunner): Promise<void> {
    await respellFlags(q, (value) => (value ? 1 : 0));
    for (const name of WITH_FOREIGN_KEYS) {
      const table = await q.getTable(name);
      if (!table) throw new Error(`table ${name} is missing`);
      const implicit = table.foreignKeys.filter(
        (fk) => fk.onDelete !== 'NO ACTION' || fk.onUpdate !== 'NO ACTION',
      );
      if (implicit.length === 0) continue;
      await q.dropForeignKeys(table, implicit);
      await q.createForeignKeys(
        table,
        implicit.map(
          (fk) =>
            new TableForeignKey({
              name: fk.name,
              columnNames: fk.columnNames,
              referencedTableName: fk.referencedTableName,
              referencedColumnNames: fk.referencedColumnNames,
              onDelete: 'NO ACTION',
              onUpdate: 'NO ACTION',
            }),
        ),
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    // NO ACTION is what the engines did before; only the defaults' spelling goes back.
    await respellFlags(q, (value) => value);
  }
}

async function respellFlags(q: QueryRunner, spelling: (value: boolean) => boolean | number): Promise<void> {
  for (const [name, flags] of Object.entries(FLAGS)) {
    const table = await q.getTable(name);
    if (!table) throw new Error(`table ${name} is missing`);
    const changes = Object.entries(flags).flatMap(([column, value]) => {
      const oldColumn = table.findColumnByName(column);
      if (!oldColumn) throw new Error(`column ${table.name}.${column} is missing`);
      const spelled = spelling(value);
      // MariaDB already says 0/1. Only the default changes: the loaded column keeps its type as the engine
      // reports it (MariaDB's changeColumn drops and re-adds a column whose type is spelled differently).
      if (String(oldColumn.default) === String(spelled)) return [];
      const newColumn = oldColumn.clone();
      newColumn.default = spelled;
      return [{ oldColumn, newColumn }];
    });
    if (changes.length > 0) await q.changeColumns(table, changes);
  }
}
