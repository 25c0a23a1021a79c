import { Arg, Args, ArgsType, Ctx, Field, ID, InputType, Mutation, Query, Resolver } from 'type-graphql';
import { type Connection, PageArguments } from '@lic/shared';
import { type Context } from '../context.js';
import { ApiKey, ApiKeyConnection, ApiKeyRole, CreatedApiKey } from './api-key.entity.js';
import { ApiKeyService } from './api-key.service.js';

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

@Resolver(() => ApiKey)
export class ApiKeyResolver {
  constructor(private readonly service: ApiKeyService) {}

  @Query(() => ApiKeyConnection, { description: "An account's API keys, oldest first (never their secrets)" })
  async apiKeys(@Args() args: ApiKeysArgs, @Ctx() ctx: Context): Promise<Connection<ApiKey>> {
    return this.service.list(ctx.scope, args.accountId, args, ctx.services.pageBounds);
  }

  @Mutation(() => CreatedApiKey, { description: 'The secret is in the answer, this once' })
  createApiKey(
    @Arg('input', { description: 'The key to create' }) input: CreateApiKeyInput,
    @Ctx() ctx: Context,
  ): Promise<CreatedApiKey> {
    return this.service.create(ctx.scope, input);
  }

  @Mutation(() => ApiKey, { description: 'Refused within seconds on every gateway; its open sockets close' })
  revokeApiKey(
    @Arg('id', () => ID, { description: 'The key to revoke' }) id: string,
    @Ctx() ctx: Context,
  ): Promise<ApiKey> {
    return this.service.revoke(ctx.scope, id);
  }
}
