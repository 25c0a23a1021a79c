import { Arg, Args, ArgsType, Ctx, Field, ID, InputType, Mutation, Query, Resolver } from 'type-graphql';
import { type Connection, PageArguments } from '@lic/shared';
import { type Context } from '../context.js';
import { ApiKey, ApiKeyConnection, ApiKeyRole, CreatedApiKey } from './api-key.entity.js';
import { ApiKeyService } from './api-key.service.js';

@InputType()
export class CreateApiKeyInput {
  @Field(() => ID)
  accountId!: string;

  @Field()
  name!: string;

  @Field(() => [ApiKeyRole], { description: 'Each one a role you hold yourself' })
  roles!: ApiKeyRole[];

  @Field(() => Date, { nullable: true, description: 'Refused from then on; none: until revoked' })
  expiresAt?: Date | null;
}

/** `first`/`after` as on every connection, plus the account and whether revoked keys count. */
@ArgsType()
export class ApiKeysArgs extends PageArguments {
  @Field(() => ID)
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
  createApiKey(@Arg('input') input: CreateApiKeyInput, @Ctx() ctx: Context): Promise<CreatedApiKey> {
    return this.service.create(ctx.scope, input);
  }

  @Mutation(() => ApiKey, { description: 'Refused within seconds on every gateway; its open sockets close' })
  revokeApiKey(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<ApiKey> {
    return this.service.revoke(ctx.scope, id);
  }
}
