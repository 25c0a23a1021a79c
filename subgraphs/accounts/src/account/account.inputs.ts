import { IsIn, Length } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { AccountKind } from './account.entity.js';

@InputType({ description: 'A new account' })
export class CreateAccountInput {
  @Field({ description: "The account's name" })
  @Length(1, 200)
  name!: string;

  @Field({ description: 'Genesys Account Reference Number, unique' })
  @Length(1, 40)
  garn!: string;

  @Field(() => AccountKind, { description: 'CUSTOMER or PARTNER' })
  @IsIn(Object.values(AccountKind))
  kind!: AccountKind;
}
