import { type Config, EVENT_ENTITIES, EVENT_MIGRATIONS, type Database, openDatabase } from '@lic/shared';
import { entities } from '../src/entities.js';
import { migrations } from '../src/migrations/index.js';

type Migration = (typeof migrations)[number];

/** Allocation's migrations up to, not including, `migration`: the schema as it stood before it. */
export function migrationsBefore(migration: Migration): Migration[] {
  return migrations.slice(0, migrations.indexOf(migration));
}

/** Allocation's database with these of its migrations applied (all of them by default). */
export function openAllocationDatabase(
  config: Config,
  list: readonly Migration[] = migrations,
): Promise<Database> {
  return openDatabase({
    config,
    name: 'allocation',
    entities: [...EVENT_ENTITIES, ...entities],
    migrations: [...EVENT_MIGRATIONS, ...list],
  });
}
