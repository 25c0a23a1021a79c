/**
 * The usage report's categories over the billing period, day by day, from the tracked sessions
 * (usageSessions): per category and UTC day, the most people active at one instant and how many
 * different people were active. A person with two sessions at once counts once.
 */
export interface TrendSession {
  userId: string;
  start: string;
  /** Null while the person is still logged on */
  end: string | null;
  categories: readonly string[];
}

export interface CategoryTrend {
  /** Day starts (epoch ms, UTC) */
  days: number[];
  categories: string[];
  /** category -> per day: most active at once */
  peak: Record<string, number[]>;
  /** category -> per day: different people active */
  named: Record<string, number[]>;
}

const DAY = 86_400_000;

/** Per person and category, their sessions merged where they overlap (sorted by start). */
function mergedIntervals(
  sessions: readonly TrendSession[],
  now: number,
): Map<string, Map<string, Array<[number, number]>>> {
  const byCategory = new Map<string, Map<string, Array<[number, number]>>>();
  for (const s of sessions) {
    const start = Date.parse(s.start);
    const end = s.end === null ? now : Date.parse(s.end);
    if (!(end > start)) continue;
    for (const category of s.categories) {
      const people = byCategory.get(category) ?? new Map<string, Array<[number, number]>>();
      people.set(s.userId, [...(people.get(s.userId) ?? []), [start, end]]);
      byCategory.set(category, people);
    }
  }
  for (const people of byCategory.values()) {
    for (const [user, intervals] of people) {
      intervals.sort((a, b) => a[0] - b[0]);
      const merged: Array<[number, number]> = [];
      for (const [s, e] of intervals) {
        const last = merged[merged.length - 1];
        if (last && s <= last[1]) last[1] = Math.max(last[1], e);
        else merged.push([s, e]);
      }
      people.set(user, merged);
    }
  }
  return byCategory;
}

/** The days of [from, min(to, now)), each category's daily peak and named people. */
export function categoryTrend(
  sessions: readonly TrendSession[],
  from: number,
  to: number,
  now: number,
): CategoryTrend {
  const end = Math.min(to, now);
  const days: number[] = [];
  for (let d = from; d < end; d += DAY) days.push(d);
  const byCategory = mergedIntervals(sessions, now);
  const categories = [...byCategory.keys()].sort();
  const peak: Record<string, number[]> = {};
  const named: Record<string, number[]> = {};
  for (const category of categories) {
    const intervals = [...byCategory.get(category)!.values()].flat();
    peak[category] = days.map((d) => {
      const dayEnd = Math.min(d + DAY, end);
      // At the day's start, then after each start within it (ends first at the same instant).
      const starts = [d, ...intervals.map(([s]) => s).filter((s) => s > d && s < dayEnd)];
      return Math.max(0, ...starts.map((t) => intervals.filter(([s, e]) => s <= t && e > t).length));
    });
    named[category] = days.map((d) => {
      const dayEnd = Math.min(d + DAY, end);
      return [...byCategory.get(category)!.values()].filter((list) =>
        list.some(([s, e]) => s < dayEnd && e > d),
      ).length;
    });
  }
  return { days, categories, peak, named };
}
