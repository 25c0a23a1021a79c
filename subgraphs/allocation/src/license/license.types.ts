import { Field, ID, Int, ObjectType } from 'type-graphql';

@ObjectType('AccountLicenseCap', {
  description: "A subscription account's own cap on a licence pool (what MyCloud lets a customer set)",
})
export class AccountLicenseCapType {
  @Field(() => ID, { description: 'The subscription account the cap belongs to' })
  accountId!: string;

  @Field({ description: 'The pool key, e.g. I3_ACCESS_CLIENT_CONCURRENT' })
  key!: string;

  @Field(() => Int, { description: "The most licences of the key the account's servers may use at once" })
  cap!: number;
}
