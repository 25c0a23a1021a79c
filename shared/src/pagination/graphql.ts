import { Directive, Field, ObjectType } from 'type-graphql';

/** Relay's PageInfo, one type for every connection of every subgraph (hence shareable). */
@Directive('@shareable')
@ObjectType('PageInfo', { description: 'Where a page of a list ends' })
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Pass as `after` for the next page' })
  endCursor!: string | null;
}
