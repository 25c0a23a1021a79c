import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType({
  description:
    "A hold a licensing administrator put on an account (e.g. usage uploads missing past the deadline): while it is in force the account's servers get no good standing",
})
export class AccountHold {
  @Field(() => ID, { description: "The hold's identifier" })
  id!: string;

  @Field(() => ID, { description: 'The account on hold' })
  accountId!: string;

  @Field({ description: 'Why the account is on hold' })
  reason!: string;

  @Field({ description: 'Who put the account on hold' })
  placedBy!: string;

  @Field({ description: 'When the hold was placed' })
  placedAt!: Date;

  @Field({ description: 'True until the hold is lifted' })
  inForce!: boolean;

  @Field(() => String, { nullable: true, description: 'Who lifted the hold' })
  liftedBy!: string | null;

  @Field(() => Date, { description: 'When the hold was lifted (null while it is in force)', nullable: true })
  liftedAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'Why it was lifted, if said' })
  liftNote!: string | null;
}
