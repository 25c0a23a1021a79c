import { Field, ObjectType } from 'type-graphql';
import { Server } from '../account/server.types.js';
import { UsageCategoryEnum } from '../enums.js';
import { type UsageCategory } from '../rules/categories.js';
import { CicUser } from './cic-user.types.js';

@ObjectType({
  description: "A user's active session on a server while it tracked usage (session counter above zero)",
})
export class UsageSession {
  @Field(() => CicUser, { description: 'The user' })
  user!: CicUser;

  @Field(() => Server, { description: 'The server the session ran on' })
  server!: Server;

  @Field(() => Date, { description: 'When the session began' })
  start!: Date;

  @Field(() => Date, { nullable: true, description: 'Null while the user is still logged on' })
  end!: Date | null;

  @Field(() => [UsageCategoryEnum], {
    description: 'Billing categories of the session, from every licence applied during it',
  })
  categories!: UsageCategory[];

  @Field(() => [String], { description: 'Every licence applied to the user during the session' })
  licenses!: string[];
}
