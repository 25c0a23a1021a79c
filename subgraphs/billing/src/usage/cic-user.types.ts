import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The allocation subgraph owns CicUser; billing refers to it by key. */
@Directive('@key(fields: "id")')
@ObjectType()
export class CicUser {
  @Field(() => ID, { description: "The user's identifier" })
  id!: string;
}
