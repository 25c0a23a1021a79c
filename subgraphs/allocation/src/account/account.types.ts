import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The accounts subgraph owns Account; allocation adds the servers registered to it. */
@Directive('@key(fields: "id")')
@ObjectType()
export class Account {
  @Field(() => ID, { description: "The account's identifier" })
  id!: string;
}
