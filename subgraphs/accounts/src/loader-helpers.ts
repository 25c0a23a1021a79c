import DataLoader from 'dataloader';

/** One row per key (or null), fetched in one batch per tick. */
export function loaderById<T>(
  fetch: (ids: readonly string[]) => Promise<T[]>,
  idOf: (row: T) => string,
): DataLoader<string, T | null> {
  return new DataLoader(async (ids) => {
    const byId = new Map((await fetch(ids)).map((row) => [idOf(row), row]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}

/** Every row belonging to each key (a row may belong to several), in the order fetched. */
export function loaderByGroup<T>(
  fetch: (keys: readonly string[]) => Promise<T[]>,
  keysOf: (row: T) => readonly string[],
): DataLoader<string, T[]> {
  return new DataLoader(async (keys) => {
    const groups = new Map<string, T[]>(keys.map((k) => [k, []]));
    for (const row of await fetch(keys)) for (const key of new Set(keysOf(row))) groups.get(key)?.push(row);
    return keys.map((k) => groups.get(k) ?? []);
  });
}
