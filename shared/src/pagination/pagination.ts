import { type ObjectLiteral, type SelectQueryBuilder } from 'typeorm';
import { DomainError, ErrorCode } from '../errors/errors.js';

/**
 * Relay-style pages (docs/api.md, "Pagination"). A list is ordered by (sort key, id); a cursor
 * names one row's place in that order (keyset, never an offset), so a page stays where it was
 * while rows are inserted before or after it. Cursors are opaque to clients: base64url of the
 * list's name, the sort key and the id; a cursor of another list is refused.
 */

/** Default and largest page size when the operator has not set PAGE_SIZE_DEFAULT / PAGE_SIZE_MAX. */
export const DEFAULT_PAGE_SIZE = 50;
export const DEFAULT_MAX_PAGE_SIZE = 200;

export interface PageBounds {
  defaultSize: number;
  maxSize: number;
}

export const DEFAULT_PAGE_BOUNDS: PageBounds = {
  defaultSize: DEFAULT_PAGE_SIZE,
  maxSize: DEFAULT_MAX_PAGE_SIZE,
};

/** What a client asks for: at most `first` items after the `after` cursor. */
export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

/** A sort key: a number, a string, or an instant (kept in the cursor as its ISO text). */
export type SortKey = string | number | Date;

export interface CursorPosition {
  key: string | number;
  id: string;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface PageInfoShape {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: PageInfoShape;
}

export type SortDirection = 'ASC' | 'DESC';

/** How one list is ordered: its name (cursors carry it), its direction, and each row's key and id. */
export interface ListOrder<T> {
  list: string;
  direction: SortDirection;
  key: (item: T) => SortKey;
  id: (item: T) => string;
}

const invalidCursor = (reason: string): DomainError =>
  new DomainError(ErrorCode.BAD_USER_INPUT, `after is not a cursor of this list: ${reason}`, {
    field: 'after',
    reason: 'INVALID_CURSOR',
  });

function plainKey(key: SortKey): string | number {
  return key instanceof Date ? key.toISOString() : key;
}

export function encodeCursor(list: string, key: SortKey, id: string): string {
  return Buffer.from(JSON.stringify([list, plainKey(key), id]), 'utf8').toString('base64url');
}

/** The position a cursor names; BAD_USER_INPUT (reason INVALID_CURSOR) when malformed or of another list. */
export function decodeCursor(list: string, cursor: string): CursorPosition {
  if (cursor.length === 0 || cursor.length > 1024 || !/^[A-Za-z0-9_-]+$/.test(cursor))
    throw invalidCursor('malformed');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor('malformed');
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 3 ||
    typeof parsed[0] !== 'string' ||
    !(typeof parsed[1] === 'string' || (typeof parsed[1] === 'number' && Number.isFinite(parsed[1]))) ||
    typeof parsed[2] !== 'string'
  )
    throw invalidCursor('malformed');
  if (parsed[0] !== list) throw invalidCursor('it belongs to another list');
  return { key: parsed[1] as string | number, id: parsed[2] as string };
}

/** The page size asked for, within bounds: BAD_USER_INPUT when `first` is below 1 or above the maximum. */
export function pageSize(args: PageArgs, bounds: PageBounds = DEFAULT_PAGE_BOUNDS): number {
  const first = args.first ?? bounds.defaultSize;
  if (!Number.isInteger(first) || first < 1 || first > bounds.maxSize)
    throw new DomainError(ErrorCode.BAD_USER_INPUT, `first must be between 1 and ${bounds.maxSize}`, {
      field: 'first',
      reason: 'PAGE_SIZE_OUT_OF_RANGE',
    });
  return first;
}

function compareKeys(a: CursorPosition, b: CursorPosition): number {
  if (a.key !== b.key) {
    if (typeof a.key === 'number' && typeof b.key === 'number') return a.key - b.key;
    return String(a.key) < String(b.key) ? -1 : 1;
  }
  if (a.id === b.id) return 0;
  return a.id < b.id ? -1 : 1;
}

function positionOf<T>(order: ListOrder<T>, item: T): CursorPosition {
  return { key: plainKey(order.key(item)), id: order.id(item) };
}

function connectionOf<T>(
  order: ListOrder<T>,
  rows: readonly T[],
  size: number,
  hasPreviousPage: boolean,
): Connection<T> {
  const page = rows.slice(0, size);
  const edges = page.map((node) => ({
    cursor: encodeCursor(order.list, order.key(node), order.id(node)),
    node,
  }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > size,
      hasPreviousPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

/**
 * One page of a list already loaded and tenant-filtered in memory (a small list, or one a
 * DataLoader batches): sorted by (key, id) in the list's direction, then cut after the cursor.
 */
export function pageOf<T>(
  items: readonly T[],
  args: PageArgs,
  order: ListOrder<T>,
  bounds: PageBounds = DEFAULT_PAGE_BOUNDS,
): Connection<T> {
  const size = pageSize(args, bounds);
  const sign = order.direction === 'ASC' ? 1 : -1;
  const after = args.after ? decodeCursor(order.list, args.after) : undefined;
  const sorted = items
    .map((item) => ({ item, at: positionOf(order, item) }))
    .sort((a, b) => sign * compareKeys(a.at, b.at));
  const rest = after ? sorted.filter((row) => sign * compareKeys(row.at, after) > 0) : sorted;
  return connectionOf(
    order,
    rest.map((row) => row.item),
    size,
    after !== undefined,
  );
}

/** How a query's rows are ordered in SQL: the columns (alias.column) of the sort key and the id. */
export interface SqlOrder<T> extends ListOrder<T> {
  keyColumn: string;
  idColumn: string;
  /** Turns a cursor's key back into the column's value (e.g. a Date for a timestamp column). */
  keyParam?: (key: string | number) => unknown;
}

/**
 * One page straight from SQL (SQLite and MariaDB alike): `WHERE (key, id)` beyond the cursor,
 * `ORDER BY key, id`, `LIMIT first + 1` (the extra row says whether there is a next page). The
 * query builder carries the list's own filters and tenant scope.
 */
export async function pageFromQuery<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  args: PageArgs,
  order: SqlOrder<T>,
  bounds: PageBounds = DEFAULT_PAGE_BOUNDS,
): Promise<Connection<T>> {
  const size = pageSize(args, bounds);
  const after = args.after ? decodeCursor(order.list, args.after) : undefined;
  const beyond = order.direction === 'ASC' ? '>' : '<';
  if (after) {
    const key = order.keyParam ? order.keyParam(after.key) : after.key;
    query.andWhere(
      `(${order.keyColumn} ${beyond} :pageKey OR (${order.keyColumn} = :pageKey AND ${order.idColumn} ${beyond} :pageId))`,
      { pageKey: key, pageId: after.id },
    );
  }
  const rows = await query
    .orderBy(order.keyColumn, order.direction)
    .addOrderBy(order.idColumn, order.direction)
    .take(size + 1)
    .getMany();
  return connectionOf(order, rows, size, after !== undefined);
}

/** A cursor key that is an instant: the Date for a timestamp column. */
export const instantKey = (key: string | number): Date => {
  const at = new Date(key);
  if (Number.isNaN(at.getTime())) throw invalidCursor('malformed');
  return at;
};
