import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** Allocation owns Server; enforcement adds its enforcement status. */
@Directive('@key(fields: "id")')
@ObjectType()
export class Server {
  @Field(() => ID, { description: "The server's identifier" })
  id!: string;
}
