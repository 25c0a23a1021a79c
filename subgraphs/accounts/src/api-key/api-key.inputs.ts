import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { z } from 'zod';
import { PageArguments, inputClassMatches, textSchema } from '@lic/shared';
import { ApiKeyRole } from './api-key.entity.js';

/**
 * Every rule of a new key that needs neither the database nor the clock: a name, at least one role
 * (each once). Which roles the creator may hand on, and that the expiry lies ahead, the service checks.
 */
export const createApiKeySchema = z.object({
  accountId: z.string(),
  name: textSchema('The key name'),
  roles: z
    .array(z.enum(ApiKeyRole))
    .transform((roles) => [...new Set(roles)])
    .refine((roles) => roles.length > 0, { error: 'A key needs at least one role' }),
  expiresAt: z.date().nullish(),
});
export type CreateApiKey = z.input<typeof createApiKeySchema>;

@InputType({ description: 'A new API key of an account' })
export class CreateApiKeyInput {
  @Field(() => ID, { description: 'The account the key acts for' })
  accountId!: string;

  @Field({ description: 'What the key is for (shown in apiKeys)' })
  name!: string;

  @Field(() => [ApiKeyRole], { description: 'Each one a role you hold yourself' })
  roles!: ApiKeyRole[];

  @Field(() => Date, { nullable: true, description: 'Refused from then on; none: until revoked' })
  expiresAt?: Date | null;
}

/** `first`/`after` as on every connection, plus the account and whether revoked keys count. */
@ArgsType()
export class ApiKeysArgs extends PageArguments {
  @Field(() => ID, { description: 'The account whose keys are listed' })
  accountId!: string;

  @Field(() => Boolean, { nullable: true, description: 'Revoked keys too (default false)' })
  includeRevoked?: boolean | null;
}

inputClassMatches<CreateApiKeyInput, typeof createApiKeySchema>(true);
