import { type CatalogPart, PartKind } from './part-catalog.js';

/** The catalogue as read from the part table, indexed for the rules that need it. */
export class Catalog {
  private readonly byNumber: Map<string, CatalogPart>;

  constructor(readonly parts: readonly CatalogPart[]) {
    this.byNumber = new Map(parts.map((p) => [p.partNumber, p]));
  }

  find(partNumber: string): CatalogPart | undefined {
    return this.byNumber.get(partNumber);
  }

  /** Every distinct key the parts of `kinds` grant per unit, in catalogue order. */
  keysOf(...kinds: PartKind[]): string[] {
    const keys = new Set<string>();
    for (const part of this.parts) if (kinds.includes(part.kind)) for (const key of part.keys) keys.add(key);
    return [...keys];
  }

  describe(partNumber: string): string {
    const part = this.find(partNumber);
    return part ? `${part.partNumber} ${part.description}` : partNumber;
  }
}

export { PartKind };
