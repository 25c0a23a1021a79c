import { IsIn, Length } from 'class-validator';
import { Arg, Ctx, Field, ID, InputType, Mutation, Query, Resolver } from 'type-graphql';
import { type Context } from '../context.js';
import { Account, AccountKind } from './account.entity.js';
import { AccountService } from './account.service.js';

@InputType()
export class CreateAccountInput {
  @Field()
  @Length(1, 200)
  name!: string;

  @Field()
  @Length(1, 40)
  garn!: string;

  @Field(() => AccountKind)
  @IsIn(Object.values(AccountKind))
  kind!: AccountKind;
}

@Resolver(() => Account)
export class AccountResolver {
  constructor(private readonly service: AccountService) {}

  @Query(() => Account, { nullable: true })
  async account(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Account | null> {
    await this.service.get(ctx.principal, id);
    return ctx.loaders.account.load(id);
  }

  @Query(() => [Account])
  accounts(@Ctx() ctx: Context): Promise<Account[]> {
    return this.service.visibleTo(ctx.principal);
  }

  @Mutation(() => Account)
  createAccount(@Arg('input') input: CreateAccountInput, @Ctx() ctx: Context): Promise<Account> {
    return this.service.create(ctx.principal, input);
  }
}
