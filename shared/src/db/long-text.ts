import { type DataSource } from 'typeorm';

const longTextColumns = new WeakMap<object, Set<string>>();

/**
 * Marks a `type: 'text'` entity column that holds up to megabytes (licence files, base64 attachments):
 * TEXT on SQLite, LONGTEXT on MariaDB, where TEXT stops at 64 KiB. Its migration creates it the same
 * way; `openDatabase` gives the column the MariaDB type, so the entity describes what was built.
 */
export function LongText(): PropertyDecorator {
  return (prototype, property) => {
    const entity = prototype.constructor;
    const columns = longTextColumns.get(entity) ?? new Set<string>();
    columns.add(String(property));
    longTextColumns.set(entity, columns);
  };
}

/** Applies the MariaDB type of the columns marked with `@LongText()` to a data source's metadata. */
export function applyLongTextColumns(dataSource: DataSource): void {
  if (dataSource.options.type !== 'mariadb' && dataSource.options.type !== 'mysql') return;
  for (const entity of dataSource.entityMetadatas) {
    const columns = typeof entity.target === 'function' ? longTextColumns.get(entity.target) : undefined;
    if (!columns) continue;
    for (const column of entity.columns) {
      if (columns.has(column.propertyName)) column.type = 'longtext';
    }
  }
}
