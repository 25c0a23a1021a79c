import { USAGE_CATEGORIES, type UsageCategory } from '../rules/categories.js';

/**
 * Categories are stored as a bit mask (bit i = USAGE_CATEGORIES[i]) so that reports can group
 * and filter on them in SQL (`categories & bit`), identically on SQLite and MariaDB.
 */
export function categoryBit(category: UsageCategory): number {
  const index = USAGE_CATEGORIES.indexOf(category);
  if (index < 0) throw new RangeError(`unknown usage category ${category}`);
  return 1 << index;
}

export function maskOf(categories: Iterable<UsageCategory>): number {
  let mask = 0;
  for (const category of categories) mask |= categoryBit(category);
  return mask;
}

const cache = new Map<number, UsageCategory[]>();

/** The categories of a mask in report order (cached: a month holds only a few distinct masks). */
export function categoriesOf(mask: number): readonly UsageCategory[] {
  let categories = cache.get(mask);
  if (!categories) {
    categories = USAGE_CATEGORIES.filter((_, i) => (mask & (1 << i)) !== 0);
    cache.set(mask, categories);
  }
  return categories;
}
