import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The allocation subgraph owns Server; billing refers to it by key. */
@Directive('@key(fields: "id")')
@ObjectType()
export class Server {
  @Field(() => ID, { description: "The server's identifier" })
  id!: string;
}
