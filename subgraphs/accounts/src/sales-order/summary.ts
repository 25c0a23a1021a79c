import { PartKind } from '../part/part-catalog.js';
import { type Catalog } from '../part/catalog.js';
import { type OrderedItem } from './sales-order.entity.js';
import { type AccountSummaryLine } from './summary.types.js';

export function summaryLine(item: OrderedItem, catalog: Catalog): AccountSummaryLine {
  const part = catalog.find(item.partNumber);
  const ordered = item.assignedOrdered + item.pooledOrdered;
  const used = item.assignedUsed + item.pooledUsed;
  return {
    partNumber: item.partNumber,
    description: part?.description ?? item.partNumber,
    kind: part?.kind ?? PartKind.FEATURE,
    licenseModel: item.licenseModel,
    productVersion: item.productVersion,
    ordered,
    used,
    remaining: ordered - used,
    assignedOrdered: item.assignedOrdered,
    assignedUsed: item.assignedUsed,
    assignedRemaining: item.assignedOrdered - item.assignedUsed,
    pooledOrdered: item.pooledOrdered,
    pooledUsed: item.pooledUsed,
    pooledRemaining: item.pooledOrdered - item.pooledUsed,
    developmentFilesUsed: item.devUsed,
  };
}

/** Catalogue order, then licence model: the order the Account Summary tab lists items in. */
export function summaryLines(items: readonly OrderedItem[], catalog: Catalog): AccountSummaryLine[] {
  const position = new Map(catalog.parts.map((p, i) => [p.partNumber, i]));
  return [...items]
    .sort(
      (a, b) =>
        (position.get(a.partNumber) ?? Infinity) - (position.get(b.partNumber) ?? Infinity) ||
        a.licenseModel.localeCompare(b.licenseModel),
    )
    .map((item) => summaryLine(item, catalog));
}
