import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The accounts subgraph owns Account; billing adds its billing period and basis. */
@Directive('@key(fields: "id")')
@ObjectType()
export class Account {
  @Field(() => ID, { description: "The account's identifier" })
  id!: string;
}
