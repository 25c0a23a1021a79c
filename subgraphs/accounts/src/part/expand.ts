import { BASIC_STATION_KEY, type LicenseKeyQuantity, badInput, concurrentTwin } from '@lic/shared';
import { type CatalogPart, PART_CATALOG, PartKind, findPart } from './part-catalog.js';

export interface OrderLineInput {
  partNumber: string;
  assignedQuantity: number;
  pooledQuantity: number;
}

/** Only user licences can be pooled: concurrency is a property of users logging on. */
const POOLABLE_KINDS: ReadonlySet<PartKind> = new Set([PartKind.ACCESS, PartKind.ADDON]);

function requireQuantity(value: number, field: string, label: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw badInput(`${label} must be a whole number of at least 0, not ${String(value)}`, field);
  }
}

function resolvePart(
  part: CatalogPart | string,
  catalog: readonly CatalogPart[],
  field: string,
): CatalogPart {
  if (typeof part !== 'string') return part;
  const found = findPart(part, catalog);
  if (!found) throw badInput(`Unknown part number ${part}`, field);
  return found;
}

function expand(part: CatalogPart, assigned: number, pooled: number, path: string): LicenseKeyQuantity[] {
  requireQuantity(assigned, `${path}assignedQuantity`, `The assigned quantity of ${part.partNumber}`);
  requireQuantity(pooled, `${path}pooledQuantity`, `The pooled quantity of ${part.partNumber}`);
  if (pooled > 0 && !POOLABLE_KINDS.has(part.kind)) {
    throw badInput(
      `${part.partNumber} is a ${part.kind} part: only access and add-on licences can be pooled`,
      `${path}pooledQuantity`,
    );
  }
  const grants = new Map<string, number>();
  const grant = (key: string, quantity: number): void => {
    if (quantity > 0) grants.set(key, (grants.get(key) ?? 0) + quantity);
  };
  // Stations are always assignable (they never log on), so a station unit comes with every unit of the line.
  const keys = [...new Set(part.keys)];
  if (part.kind === PartKind.ACCESS || keys.includes(BASIC_STATION_KEY))
    grant(BASIC_STATION_KEY, assigned + pooled);
  const userKeys = keys.filter((key) => key !== BASIC_STATION_KEY);
  for (const key of userKeys) grant(key, assigned);
  for (const key of userKeys) grant(concurrentTwin(key), pooled);
  return [...grants].map(([key, quantity]) => ({ key, quantity }));
}

/**
 * The keys one order line grants, in the reference table's order: the station, each key ×assigned,
 * then each `_CONCURRENT` twin ×pooled. Zero quantities are left out.
 */
export function expandOrderLine(
  part: CatalogPart | string,
  assignedQuantity: number,
  pooledQuantity: number,
  catalog: readonly CatalogPart[] = PART_CATALOG,
): LicenseKeyQuantity[] {
  return expand(resolvePart(part, catalog, 'partNumber'), assignedQuantity, pooledQuantity, '');
}

/** Everything an order grants, summed per key and sorted by key (the order a licence file lists them in). */
export function expandOrder(
  lines: readonly OrderLineInput[],
  catalog: readonly CatalogPart[] = PART_CATALOG,
): LicenseKeyQuantity[] {
  const totals = new Map<string, number>();
  lines.forEach((line, index) => {
    const path = `lines.${index}.`;
    const part = resolvePart(line.partNumber, catalog, `${path}partNumber`);
    for (const { key, quantity } of expand(part, line.assignedQuantity, line.pooledQuantity, path)) {
      totals.set(key, (totals.get(key) ?? 0) + quantity);
    }
  });
  return [...totals]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, quantity]) => ({ key, quantity }));
}
