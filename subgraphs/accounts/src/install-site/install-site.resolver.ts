import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { tenantCheckedReference } from '@lic/shared';
import { Account } from '../account/account.entity.js';
import { ActivationFile } from '../activation-file/activation-file.entity.js';
import { type Context } from '../context.js';
import { InstallSite } from './install-site.entity.js';
import { CreateInstallSiteInput, UpdateInstallSiteInput } from './install-site.inputs.js';
import { InstallSiteService } from './install-site.service.js';

@Resolver(() => InstallSite)
export class InstallSiteResolver {
  constructor(private readonly service: InstallSiteService) {}

  @Query(() => InstallSite, {
    description: 'One install site, or null when it does not exist or the caller may not see it',
    nullable: true,
  })
  async installSite(
    @Arg('id', () => ID, { description: 'The install site' }) id: string,
    @Ctx() ctx: Context,
  ): Promise<InstallSite | null> {
    return this.service.visible(ctx.tenant, await ctx.loaders.site.load(id));
  }

  @Mutation(() => InstallSite, { description: 'Creates an install site for an account' })
  createInstallSite(
    @Arg('input', { description: 'The new site' }) input: CreateInstallSiteInput,
    @Ctx() ctx: Context,
  ): Promise<InstallSite> {
    return this.service.create(ctx.tenant, input);
  }

  @Mutation(() => InstallSite, { description: 'Renames an install site or changes its address' })
  updateInstallSite(
    @Arg('id', () => ID, { description: 'The site to change' }) id: string,
    @Arg('input', { description: 'What to change' }) input: UpdateInstallSiteInput,
    @Ctx() ctx: Context,
  ): Promise<InstallSite> {
    return this.service.update(ctx.tenant, id, input);
  }

  @Mutation(() => InstallSite, {
    description: 'Keeps the site and its history; no new files can be generated for it',
  })
  deactivateInstallSite(
    @Arg('id', () => ID, { description: 'The site to deactivate' }) id: string,
    @Ctx() ctx: Context,
  ): Promise<InstallSite> {
    return this.service.deactivate(ctx.tenant, id);
  }

  @FieldResolver(() => Account, { description: 'The account the site belongs to', nullable: true })
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
    if (!site || !(await ctx.tenant.canAccess(site.accountId))) return null;
    return site;
  },
);
