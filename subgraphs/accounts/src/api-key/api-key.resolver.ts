import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { type Connection, type PageBounds } from '@lic/shared';
import { type Context } from '../context.js';
import { ApiKey, ApiKeyConnection, CreatedApiKey } from './api-key.entity.js';
import { ApiKeysArgs, CreateApiKeyInput } from './api-key.inputs.js';
import { ApiKeyService } from './api-key.service.js';

@Resolver(() => ApiKey)
export class ApiKeyResolver {
  constructor(
    private readonly service: ApiKeyService,
    /** Page sizes of connections (config `pagination`); the defaults when absent. */
    private readonly pageBounds: PageBounds | undefined,
  ) {}

  @Query(() => ApiKeyConnection, { description: "An account's API keys, oldest first (never their secrets)" })
  async apiKeys(@Args() args: ApiKeysArgs, @Ctx() ctx: Context): Promise<Connection<ApiKey>> {
    return this.service.list(ctx.tenant, args.accountId, args, this.pageBounds);
  }

  @Mutation(() => CreatedApiKey, { description: 'The secret is in the answer, this once' })
  createApiKey(
    @Arg('input', { description: 'The key to create' }) input: CreateApiKeyInput,
    @Ctx() ctx: Context,
  ): Promise<CreatedApiKey> {
    return this.service.create(ctx.tenant, input);
  }

  @Mutation(() => ApiKey, { description: 'Refused within seconds on every gateway; its open sockets close' })
  revokeApiKey(
    @Arg('id', () => ID, { description: 'The key to revoke' }) id: string,
    @Ctx() ctx: Context,
  ): Promise<ApiKey> {
    return this.service.revoke(ctx.tenant, id);
  }
}
