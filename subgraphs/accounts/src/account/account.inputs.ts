import { Field, InputType } from 'type-graphql';
import { z } from 'zod';
import { inputClassMatches, textSchema } from '@lic/shared';
import { AccountKind } from './account.entity.js';

/** Every rule of a new account that needs no database (the GARN's uniqueness does). */
export const createAccountSchema = z.object({
  name: textSchema('name'),
  /** GARNs are compared as written on quotes and notices: case-insensitively, stored upper-case. */
  garn: z
    .string()
    .transform((garn) => garn.trim().toUpperCase())
    .pipe(z.string().regex(/^[A-Z0-9-]{1,40}$/, { error: 'garn must be 1-40 letters, digits or dashes' })),
  kind: z.enum(AccountKind),
});
export type CreateAccount = z.input<typeof createAccountSchema>;

@InputType({ description: 'A new account' })
export class CreateAccountInput {
  @Field({ description: "The account's name" })
  name!: string;

  @Field({ description: 'Genesys Account Reference Number, unique' })
  garn!: string;

  @Field(() => AccountKind, { description: 'CUSTOMER or PARTNER' })
  kind!: AccountKind;
}

inputClassMatches<CreateAccountInput, typeof createAccountSchema>(true);
