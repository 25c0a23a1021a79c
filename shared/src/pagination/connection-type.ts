import { ArgsType, Directive, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { type Connection, type Edge, type PageArgs, type PageInfoShape } from './pagination.js';

/** `first`/`after` of every connection field. */
@ArgsType()
export class PageArguments implements PageArgs {
  @Field(() => Int, {
    description: 'At most this many items (default PAGE_SIZE_DEFAULT, 50; at most PAGE_SIZE_MAX, 200)',
    nullable: true,
  })
  first?: number | null;

  @Field(() => String, {
    description: 'Only items after this cursor (an endCursor of this list)',
    nullable: true,
  })
  after?: string | null;
}

/** Where a page stands in its list; the same in every subgraph, hence @shareable. */
@Directive('@shareable')
@ObjectType('PageInfo', { description: 'Where a page stands in its list (Relay connections)' })
export class PageInfo implements PageInfoShape {
  @Field({ description: 'Whether items follow this page (ask again with after: endCursor)' })
  hasNextPage!: boolean;

  @Field({ description: 'Whether this page was asked for after a cursor (items come before it)' })
  hasPreviousPage!: boolean;

  @Field(() => String, { description: "The first item's cursor; null on an empty page", nullable: true })
  startCursor!: string | null;

  @Field(() => String, { description: "The last item's cursor; null on an empty page", nullable: true })
  endCursor!: string | null;
}

/**
 * The type-graphql classes of a connection of `node`: `<Name>Edge { cursor node }` and
 * `<Name>Connection { edges pageInfo }`. Call once per node type, at module level.
 */
export function ConnectionType<T extends object>(
  node: ClassType<T>,
  name: string,
  description: string,
): ClassType<Connection<T>> {
  @ObjectType(`${name}Edge`, { description: `One ${description} and its cursor` })
  class EdgeType implements Edge<T> {
    @Field({ description: 'Opaque: pass it as `after` to continue after this item' })
    cursor!: string;

    @Field(() => node, { description: `The ${description}` })
    node!: T;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${description} items (Relay connection)` })
  class ConnectionClass implements Connection<T> {
    @Field(() => [EdgeType], { description: 'The items of this page, in list order' })
    edges!: EdgeType[];

    @Field(() => PageInfo, { description: 'Whether more items follow, and the cursors to ask for them' })
    pageInfo!: PageInfo;
  }
  return ConnectionClass;
}
