import { Directive, Field, ObjectType } from 'type-graphql';
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

/** A Relay connection: the page's edges and whether another page follows. */
export interface Connection<T> {
  edges: Array<Edge<T>>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

@Directive('@shareable')
@ObjectType({ description: 'Where a page of a connection ends and whether another follows' })
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Pass as `after` to get the next page' })
  endCursor!: string | null;
}

/** An opaque, stable cursor: base64url of the row's sort key (a time in ms, or text) and its id. */
export function encodeCursor(key: number | string, id: string): string {
  return Buffer.from(JSON.stringify([key, id]), 'utf8').toString('base64url');
}

/** The sort key and id of a cursor made by encodeCursor; anything else is BAD_USER_INPUT. */
export function decodeCursor(cursor: string): { key: number | string; id: string } {
  try {
    if (cursor.length > 400) throw new Error('too long');
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      (typeof value[0] === 'number' || typeof value[0] === 'string') &&
      typeof value[1] === 'string'
    ) {
      return { key: value[0], id: value[1] };
    }
  } catch {
    // reported below
  }
  throw badInput('The cursor is not one this list gave out', 'after');
}

/** `first` within 1..max (default when absent); anything else is BAD_USER_INPUT. */
export function pageSize(first: number | null | undefined, fallback: number, max: number): number {
  if (first === null || first === undefined) return fallback;
  if (!Number.isInteger(first) || first < 1 || first > max)
    throw badInput(`first must be between 1 and ${max}`, 'first');
  return first;
}

/**
 * A connection from the rows of one page fetched with one row more than asked (that row only
 * says another page follows).
 */
export function toConnection<T>(
  rows: readonly T[],
  size: number,
  cursorOf: (row: T) => string,
): Connection<T> {
  const page = rows.slice(0, size);
  const edges = page.map((node) => ({ cursor: cursorOf(node), node }));
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > size, endCursor: edges.at(-1)?.cursor ?? null },
  };
}
