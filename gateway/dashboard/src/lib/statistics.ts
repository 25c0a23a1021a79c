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
  /** Assignable licences held (assignments); absent in older snapshots, then read as configured */
  assignableInUse?: number;
  /** False when a pool of the licence is uncapped (subscription without an account cap) */
  capped?: boolean;
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

/**
 * What a new logon can get of the licence: its concurrent pool's free seats (null when uncapped,
 * undefined when the licence has no concurrent pool). Spare assignable licences are not counted:
 * a concurrent user never takes them (docs/domain.md section 2).
 */
export function freeForLogon(r: StatisticRow): number | null | undefined {
  if (r.concurrentAllowed === null) return null;
  if (r.concurrentAllowed === 0 && r.concurrentConfigured === 0 && r.concurrentInUse === 0) return undefined;
  return Math.max(0, r.concurrentAllowed - r.concurrentInUse);
}

/** What a new assignment can get: the assignable pool's free licences (null when uncapped). */
export function freeToAssign(r: StatisticRow): number | null | undefined {
  if (r.assignableAllowed === null) return null;
  const held = r.assignableInUse ?? r.assignableConfigured;
  if (r.assignableAllowed === 0 && held === 0) return undefined;
  return Math.max(0, r.assignableAllowed - held);
}

export type Fullness = 'full' | 'near' | 'ok' | 'uncapped' | 'none';

/** At or above this share of a capped concurrent pool in use, a licence is nearly exhausted. */
export const NEAR_FULL = 0.8;

/** How full the licence's concurrent pool is: full at 100 %, near from 80 %. */
export function concurrentFullness(r: StatisticRow): { state: Fullness; ratio: number | null } {
  if (r.concurrentAllowed === null) return { state: 'uncapped', ratio: null };
  if (r.concurrentAllowed === 0) {
    // Nothing allowed: full once anyone is configured for it (their logons get none of it).
    return r.concurrentConfigured > 0 || r.concurrentInUse > 0
      ? { state: 'full', ratio: 1 }
      : { state: 'none', ratio: null };
  }
  const ratio = r.concurrentInUse / r.concurrentAllowed;
  return { state: ratio >= 1 ? 'full' : ratio >= NEAR_FULL ? 'near' : 'ok', ratio };
}

/** Whether every assignable licence is given out (the next assignment is refused). */
export function assignableFull(r: StatisticRow): boolean {
  const free = freeToAssign(r);
  return free === 0 && (r.assignableAllowed ?? 0) > 0;
}

export const SUBSCRIPTION_NOTE = /^Subscription: uncapped/;

/**
 * The row's note without the subscription remark every uncapped row carries (the view says it
 * once for the server instead): null when nothing else is noted.
 */
export function rowNote(r: StatisticRow): string | null {
  if (!r.note) return null;
  const parts = r.note
    .split('; ')
    .map((p) => p.trim())
    .filter((p) => p && !SUBSCRIPTION_NOTE.test(p));
  return parts.length ? parts.join('; ') : null;
}

export interface Fullest {
  key: string;
  inUse: number;
  /** Null when uncapped */
  allowed: number | null;
  ratio: number | null;
}

/**
 * The licence whose concurrent pool is fullest (the headline tile: one pool, so like is added to
 * like; a person holds several concurrent licences at once). Capped pools rank by share in use,
 * then by count; without a capped pool in use, the uncapped pool with most in use.
 */
export function fullestLicence(rows: readonly StatisticRow[]): Fullest | undefined {
  let best: Fullest | undefined;
  for (const r of rows) {
    const { state, ratio } = concurrentFullness(r);
    if (state === 'none') continue;
    const candidate: Fullest = { key: r.key, inUse: r.concurrentInUse, allowed: r.concurrentAllowed, ratio };
    if (!best) {
      best = candidate;
      continue;
    }
    const a = candidate.ratio ?? -1;
    const b = best.ratio ?? -1;
    if (a > b || (a === b && candidate.inUse > best.inUse)) best = candidate;
  }
  return best;
}

/** Licences whose concurrent pool is at 100 %. */
export function fullLicences(rows: readonly StatisticRow[]): string[] {
  return rows.filter((r) => concurrentFullness(r).state === 'full').map((r) => r.key);
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
