import { Arg, Ctx, Field, FieldResolver, ID, InputType, Mutation, Query, Resolver, Root } from 'type-graphql';
import { tenantCheckedReference } from '@lic/shared';
import { Account } from '../account/account.entity.js';
import { ActivationFile } from '../activation-file/activation-file.entity.js';
import { type Context } from '../context.js';
import { InstallSite } from './install-site.entity.js';
import { InstallSiteService } from './install-site.service.js';

@InputType()
export class CreateInstallSiteInput {
  @Field(() => ID)
  accountId!: string;

  @Field()
  name!: string;

  @Field(() => String, { nullable: true })
  address?: string | null;
}

@InputType()
export class UpdateInstallSiteInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'null or empty clears it' })
  address?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'false deactivates (the Active check box); true reactivates',
  })
  active?: boolean | null;
}

@Resolver(() => InstallSite)
export class InstallSiteResolver {
  constructor(private readonly service: InstallSiteService) {}

  @Query(() => InstallSite, { nullable: true })
  async installSite(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<InstallSite | null> {
    return this.service.visible(ctx.scope, await ctx.loaders.site.load(id));
  }

  @Mutation(() => InstallSite)
  createInstallSite(@Arg('input') input: CreateInstallSiteInput, @Ctx() ctx: Context): Promise<InstallSite> {
    return this.service.create(ctx.scope, input);
  }

  @Mutation(() => InstallSite)
  updateInstallSite(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: UpdateInstallSiteInput,
    @Ctx() ctx: Context,
  ): Promise<InstallSite> {
    return this.service.update(ctx.scope, id, input);
  }

  @Mutation(() => InstallSite, {
    description: 'Keeps the site and its history; no new files can be generated for it',
  })
  deactivateInstallSite(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<InstallSite> {
    return this.service.deactivate(ctx.scope, id);
  }

  @FieldResolver(() => Account, { nullable: true })
  account(@Root() site: InstallSite, @Ctx() ctx: Context): Promise<Account | null> {
    return ctx.loaders.account.load(site.accountId);
  }

  @FieldResolver(() => [ActivationFile], { description: 'Files generated for this site, newest first' })
  activationFiles(@Root() site: InstallSite, @Ctx() ctx: Context): Promise<ActivationFile[]> {
    return ctx.loaders.filesBySite.load(site.id);
  }
}

/** `InstallSite` references from other subgraphs (a server's site): batched, and only visible ones. */
export const resolveInstallSiteReference = tenantCheckedReference(
  async (reference: { id: string }, ctx: Context): Promise<InstallSite | null> => {
    const site = await ctx.loaders.site.load(reference.id);
    if (!site || !(await ctx.scope.canAccess(site.accountId))) return null;
    return site;
  },
);
