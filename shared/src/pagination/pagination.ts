import { badInput } from '../errors/errors.js';

/** `first`/`after` of a Relay connection field. */
export interface PageArgs {
  first?: number | null | undefined;
  after?: string | null | undefined;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface PageInfoShape {
  hasNextPage: boolean;
  endCursor: string | null;
}

/** A Relay connection: `edges { cursor node }`, `pageInfo { hasNextPage endCursor }`. */
export interface Connection<T> {
  edges: Array<Edge<T>>;
  pageInfo: PageInfoShape;
}

/** The position of a row in a list ordered by (time, id): opaque to clients, stable across inserts. */
export interface CursorPosition {
  key: number;
  id: string;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/** base64url of the sort key and id. */
export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.key, position.id]), 'utf8').toString('base64url');
}

/** The position in a cursor; BAD_USER_INPUT (field `after`) for one this platform did not issue. */
export function decodeCursor(cursor: string): CursorPosition {
  try {
    if (cursor.length > 400) throw new Error('too long');
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'number' &&
      Number.isFinite(value[0]) &&
      typeof value[1] === 'string' &&
      value[1].length > 0 &&
      value[1].length <= 64
    ) {
      return { key: value[0], id: value[1] };
    }
  } catch {
    // refused below
  }
  throw badInput('The cursor is not one this list issued', 'after');
}

/** `first` within bounds (BAD_USER_INPUT otherwise); the default when absent. */
export function pageSize(args: PageArgs): number {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw badInput(`first must be between 0 and ${MAX_PAGE_SIZE}`, 'first');
  }
  return first;
}

/**
 * Builds the connection from up to `size + 1` rows fetched after the cursor in (key, id) order:
 * the extra row only says there is a next page.
 */
export function connectionFrom<T>(
  rows: T[],
  size: number,
  position: (row: T) => CursorPosition,
): Connection<T> {
  const page = rows.slice(0, size);
  const edges = page.map((node) => ({ cursor: encodeCursor(position(node)), node }));
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > size, endCursor: edges.at(-1)?.cursor ?? null },
  };
}
