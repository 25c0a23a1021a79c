import { Field, ID, InputType } from 'type-graphql';

@InputType({ description: 'A new install site of an account' })
export class CreateInstallSiteInput {
  @Field(() => ID, { description: 'The account the site belongs to' })
  accountId!: string;

  @Field({ description: "The site's name" })
  name!: string;

  @Field(() => String, { description: "The site's postal address", nullable: true })
  address?: string | null;
}

@InputType({ description: 'What to change of an install site' })
export class UpdateInstallSiteInput {
  @Field(() => String, { description: "The site's new name", nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'null or empty clears it' })
  address?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'false deactivates (the Active check box); true reactivates',
  })
  active?: boolean | null;
}
