export { type CatalogPart, PART_CATALOG, PartKind, findPart } from './part-catalog.js';
export { type OrderLineInput, expandOrder, expandOrderLine } from './expand.js';
