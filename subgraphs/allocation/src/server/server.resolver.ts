import { Length } from 'class-validator';
import { Arg, Ctx, Field, FieldResolver, ID, InputType, Mutation, Query, Resolver, Root } from 'type-graphql';
import { canAccessAccount, requirePrincipal } from '@lic/shared';
import { Account } from '../account/account.ref.js';
import { type Context } from '../context.js';
import { Server } from './server.entity.js';
import { ServerService } from './server.service.js';

@InputType()
export class RegisterServerInput {
  @Field(() => ID)
  accountId!: string;

  @Field(() => ID)
  installSiteId!: string;

  @Field()
  @Length(1, 200)
  name!: string;

  @Field(() => ID, { nullable: true })
  switchoverPartnerId?: string;
}

@Resolver(() => Server)
export class ServerResolver {
  constructor(private readonly service: ServerService) {}

  @Query(() => Server, { nullable: true })
  async server(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Server | null> {
    return this.service.visible(ctx.principal, await ctx.loaders.server.load(id));
  }

  @Mutation(() => Server)
  registerServer(@Arg('input') input: RegisterServerInput, @Ctx() ctx: Context): Promise<Server> {
    return this.service.register(ctx.principal, input);
  }

  @FieldResolver(() => Account)
  account(@Root() server: Server): Account {
    return { id: server.accountId };
  }
}

@Resolver(() => Account)
export class AccountServersResolver {
  @FieldResolver(() => [Server], { description: 'CIC servers registered to this account' })
  async servers(@Root() account: Account, @Ctx() ctx: Context): Promise<Server[]> {
    const principal = requirePrincipal(ctx.principal);
    if (!canAccessAccount(principal, account.id)) return [];
    return ctx.loaders.serversByAccount.load(account.id);
  }
}
