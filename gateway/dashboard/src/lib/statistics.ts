/** Pure helpers of the statistics view (table diffing, totals, denial notes). */
export interface StatisticRow {
  key: string;
  /** Null when uncapped (a subscription without an account cap) */
  assignableAllowed: number | null;
  assignableConfigured: number;
  /** Null when uncapped */
  concurrentAllowed: number | null;
  concurrentConfigured: number;
  concurrentInUse: number;
  available?: number | null;
  peakInUse: number;
  peakAt?: string | null;
  denials: number;
  note?: string | null;
}

export function sortRows<T extends { key: string }>(rows: readonly T[]): T[] {
  return [...rows].sort((a, b) => a.key.localeCompare(b.key));
}

/** Keys whose row differs between two snapshots (new keys included). */
export function changedKeys(before: readonly StatisticRow[], after: readonly StatisticRow[]): string[] {
  const old = new Map(before.map((r) => [r.key, JSON.stringify(r)]));
  return after.filter((r) => old.get(r.key) !== JSON.stringify(r)).map((r) => r.key);
}

export interface DenialNote {
  key: string;
  count: number;
  /** When the dashboard saw the count rise (epoch ms) */
  seenAt: number;
}

/** Denials that happened between two snapshots: one note per key whose count rose. */
export function newDenials(
  before: readonly StatisticRow[],
  after: readonly StatisticRow[],
  seenAt: number,
): DenialNote[] {
  const old = new Map(before.map((r) => [r.key, r.denials]));
  return after
    .filter((r) => r.denials > (old.get(r.key) ?? r.denials))
    .map((r) => ({ key: r.key, count: r.denials - (old.get(r.key) ?? 0), seenAt }));
}

export interface Totals {
  inUse: number;
  /** Null when a concurrent pool is uncapped */
  allowed: number | null;
  denials: number;
}

/** Concurrent licences of the server together (the tiles of the view). */
export function totals(rows: readonly StatisticRow[]): Totals {
  return rows.reduce<Totals>(
    (t, r) => ({
      inUse: t.inUse + r.concurrentInUse,
      allowed: t.allowed === null || r.concurrentAllowed === null ? null : t.allowed + r.concurrentAllowed,
      denials: t.denials + r.denials,
    }),
    { inUse: 0, allowed: 0, denials: 0 },
  );
}

/** An uncapped subscription pool has no limit: any number may hold it (docs/domain.md section 2). */
export function limitText(value: number | null | undefined): string {
  return value === null || value === undefined ? 'no cap' : String(value);
}
