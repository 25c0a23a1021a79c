import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { PageArguments } from '@lic/shared';
import { ApiKeyRole } from './api-key.entity.js';

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
