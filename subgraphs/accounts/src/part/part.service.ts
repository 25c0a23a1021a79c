import { type Database } from '@lic/shared';
import { type CatalogPart } from './part-catalog.js';
import { Catalog } from './catalog.js';
import { Part } from './part.entity.js';

function toCatalogPart(row: Part): CatalogPart {
  return {
    partNumber: row.partNumber,
    description: row.description,
    kind: row.kind,
    keys: row.keys,
    hasUpgradeOption: row.hasUpgradeOption,
    ...(row.bundle ? { bundle: row.bundle } : {}),
  };
}

/**
 * The part catalogue is data: seeded into the part table by migrations and read from there. It only
 * changes with a migration, so it is read once when the subgraph starts.
 */
export class PartService {
  private rows: Part[] = [];
  private loaded: Catalog = new Catalog([]);

  constructor(private readonly database: Database) {}

  async load(): Promise<void> {
    this.rows = await this.database.dataSource.getRepository(Part).find({ order: { sortOrder: 'ASC' } });
    this.loaded = new Catalog(this.rows.map(toCatalogPart));
  }

  get catalog(): Catalog {
    return this.loaded;
  }

  list(): Part[] {
    return this.rows;
  }
}
