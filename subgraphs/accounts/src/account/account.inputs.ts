import { Field, InputType } from 'type-graphql';
import { AccountKind } from './account.entity.js';

@InputType({ description: 'A new account' })
export class CreateAccountInput {
  @Field({ description: "The account's name" })
  name!: string;

  @Field({ description: 'Genesys Account Reference Number, unique' })
  garn!: string;

  @Field(() => AccountKind, { description: 'CUSTOMER or PARTNER' })
  kind!: AccountKind;
}
