import { Field, ID, InputType } from 'type-graphql';
import { AllocationMethod } from './user.entity.js';

@InputType({ description: 'A new user on a CIC server' })
export class CreateCicUserInput {
  @Field(() => ID, { description: 'The server to create the user on' })
  serverId!: string;

  @Field({ description: "The user's name, unique on the server" })
  name!: string;

  @Field(() => AllocationMethod, { description: 'ASSIGNED or CONCURRENT' })
  allocationMethod!: AllocationMethod;

  @Field(() => [String], { description: 'The licence keys to give the user' })
  licenses!: string[];

  @Field(() => [String], {
    nullable: true,
    description: "Interaction types the user's workgroup queues carry",
  })
  queuedMediaTypes?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'The types an administrator chose (ACD media 1/2)' })
  chosenMediaTypes?: string[] | null;
}
