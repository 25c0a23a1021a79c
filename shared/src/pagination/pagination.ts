import { badInput } from '../errors/errors.js';

/**
 * Relay-style pages: `first` rows after the opaque `after` cursor. A cursor is the base64url text
 * of the row's sort key and id, so that the order is (key, id) and a page boundary stays put while
 * rows are inserted elsewhere.
 */
export interface PageArgs {
  first?: number | null | undefined;
  after?: string | null | undefined;
}

/** Relay's page information (the GraphQL type is PageInfo in ./graphql). */
export interface PageInfoShape {
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: PageInfoShape;
}

/** A decoded cursor: the sort key (a number, e.g. epoch milliseconds, or text) and the row's id. */
export interface CursorPosition {
  key: number | string;
  id: string;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

export function encodeCursor(key: number | string | Date, id: string): string {
  const k = key instanceof Date ? key.getTime() : key;
  return Buffer.from(JSON.stringify([k, id]), 'utf8').toString('base64url');
}

/** Refuses (BAD_USER_INPUT, field `after`) what no encodeCursor produced. */
export function decodeCursor(cursor: string): CursorPosition {
  const refuse = () => badInput('The cursor is not one this list gave out', 'after');
  if (cursor.length > 500 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw refuse();
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw refuse();
  }
  if (
    !Array.isArray(value) ||
    value.length !== 2 ||
    !(typeof value[0] === 'number' || typeof value[0] === 'string') ||
    typeof value[1] !== 'string'
  )
    throw refuse();
  return { key: value[0] as number | string, id: value[1] as string };
}

/** How many rows a page holds: `first` within 1..max, or the default. */
export function pageSize(first: number | null | undefined, max = MAX_PAGE_SIZE): number {
  if (first === undefined || first === null) return Math.min(DEFAULT_PAGE_SIZE, max);
  if (!Number.isInteger(first) || first < 1 || first > max)
    throw badInput(`first must be between 1 and ${max}`, 'first');
  return first;
}

/**
 * Builds the page from rows read in (key, id) order after the cursor, one more than `size` (that
 * one only says whether there is a next page).
 */
export function toConnection<T>(
  rows: readonly T[],
  size: number,
  position: (row: T) => { key: number | string | Date; id: string },
): Connection<T> {
  const page = rows.slice(0, size);
  const edges = page.map((node) => {
    const { key, id } = position(node);
    return { cursor: encodeCursor(key, id), node };
  });
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > size, endCursor: edges.at(-1)?.cursor ?? null },
  };
}
