/** The denial report grouped for people: one line per person, each licence once (docs/domain.md section 2). */
export interface DenialEntry {
  id: string;
  key: string;
  userId?: string | null;
  stationId?: string | null;
  application?: string | null;
  reason: string;
  occurredAt: string;
}

export interface PersonDenials {
  /** Stable id of the line: the person's user or station id */
  id: string;
  userId: string | null;
  stationId: string | null;
  /** The latest refusal of this person (ISO) */
  latest: string;
  /** The licences refused, by the statistics table's names, with how often each was refused */
  licences: Array<{ key: string; count: number }>;
  reasons: string[];
  applications: string[];
}

const CONCURRENT_SUFFIX = '_CONCURRENT';

/** The licence a pool key belongs to, as the statistics table names it (I3_X_CONCURRENT → I3_X). */
export function licenceOfKey(key: string): string {
  return key.endsWith(CONCURRENT_SUFFIX) ? key.slice(0, -CONCURRENT_SUFFIX.length) : key;
}

/**
 * One line per person (user, else station; refusals of neither stay one line each), newest first:
 * a logon refused several licences, or the same licence refused again, is one line, not several.
 */
export function groupDenials(entries: readonly DenialEntry[]): PersonDenials[] {
  const groups = new Map<string, PersonDenials>();
  for (const e of entries) {
    const id = e.userId ? `user:${e.userId}` : e.stationId ? `station:${e.stationId}` : `denial:${e.id}`;
    let group = groups.get(id);
    if (!group) {
      group = {
        id,
        userId: e.userId ?? null,
        stationId: e.userId ? null : (e.stationId ?? null),
        latest: e.occurredAt,
        licences: [],
        reasons: [],
        applications: [],
      };
      groups.set(id, group);
    }
    if (e.occurredAt > group.latest) group.latest = e.occurredAt;
    const key = licenceOfKey(e.key);
    const licence = group.licences.find((l) => l.key === key);
    if (licence) licence.count++;
    else group.licences.push({ key, count: 1 });
    if (!group.reasons.includes(e.reason)) group.reasons.push(e.reason);
    if (e.application && !group.applications.includes(e.application)) group.applications.push(e.application);
  }
  const result = [...groups.values()];
  for (const g of result) g.licences.sort((a, b) => a.key.localeCompare(b.key));
  return result.sort((a, b) => b.latest.localeCompare(a.latest) || a.id.localeCompare(b.id));
}
