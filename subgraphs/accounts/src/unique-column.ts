import { DefaultNamingStrategy, Unique } from 'typeorm';

const naming = new DefaultNamingStrategy();

/**
 * A one-column UNIQUE the migrations declared with `isUnique` on the column, under the name TypeORM
 * generated for it then (UQ_<hash>): MariaDB keeps it as a unique index of that name, SQLite as a
 * table constraint. The column option `unique: true` would instead expect an IDX_ index on MariaDB.
 */
export function UniqueColumn(table: string, column: string, property: string): ClassDecorator {
  return Unique(naming.uniqueConstraintName(table, [column]), [property]);
}
