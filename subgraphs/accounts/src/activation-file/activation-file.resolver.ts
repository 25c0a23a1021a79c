import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import {
  type Connection,
  ConnectionType,
  PageArguments,
  type PageBounds,
  tenantCheckedReference,
} from '@lic/shared';
import { Account } from '../account/account.entity.js';
import { type Context } from '../context.js';
import { InstallSite } from '../install-site/install-site.entity.js';
import {
  ActivationFile,
  ActivationFileDownload,
  ActivationFileItem,
  LicensedMachine,
  VirtualCloudTerms,
} from './activation-file.entity.js';
import {
  ActivationFileFilterInput,
  GenerateActivationFileInput,
  UpdateActivationFileInput,
} from './activation-file.inputs.js';
import { ActivationFileService } from './activation-file.service.js';

export const ActivationFileConnection = ConnectionType(ActivationFile, 'ActivationFile', 'activation file');

@Resolver(() => ActivationFile)
export class ActivationFileResolver {
  constructor(
    private readonly service: ActivationFileService,
    /** Page sizes of connections (config `pagination`); the defaults when absent. */
    private readonly pageBounds: PageBounds | undefined,
  ) {}

  @Query(() => ActivationFile, { nullable: true, description: 'View a file with all its details' })
  async activationFile(
    @Arg('id', () => ID, { description: 'The activation file' }) id: string,
    @Ctx() ctx: Context,
  ): Promise<ActivationFile | null> {
    return this.service.visible(ctx.tenant, await ctx.loaders.file.load(id));
  }

  @Query(() => ActivationFileConnection, {
    description: "A page of an account's files, newest first, with the Activation File Activity filters",
  })
  activationFilesConnection(
    @Arg('accountId', () => ID, { description: 'The account whose files to list' }) accountId: string,
    @Arg('filter', () => ActivationFileFilterInput, {
      description: "Which files (default: all of the account's)",
      nullable: true,
    })
    filter: ActivationFileFilterInput | null,
    @Args(() => PageArguments) page: PageArguments,
    @Ctx() ctx: Context,
  ): Promise<Connection<ActivationFile>> {
    return this.service.page(ctx.tenant, accountId, filter ?? {}, page, this.pageBounds);
  }

  @Query(() => [ActivationFile], {
    description: "An account's files, newest first, with the Activation File Activity filters",
    deprecationReason: 'Use activationFilesConnection; removed after one release',
  })
  activationFiles(
    @Arg('accountId', () => ID, { description: 'The account whose files to list' }) accountId: string,
    @Arg('filter', () => ActivationFileFilterInput, {
      description: "Which files (default: all of the account's)",
      nullable: true,
    })
    filter: ActivationFileFilterInput | null,
    @Ctx() ctx: Context,
  ): Promise<ActivationFile[]> {
    return this.service.list(ctx.tenant, accountId, filter ?? {});
  }

  @Mutation(() => ActivationFile, {
    description: 'Certified people only; quantities come out of the remaining ordered items',
  })
  generateActivationFile(
    @Arg('input', { description: 'The file to generate: site, product, machine and items' })
    input: GenerateActivationFileInput,
    @Ctx() ctx: Context,
  ): Promise<ActivationFile> {
    return this.service.generate(ctx.tenant, input);
  }

  @Mutation(() => ActivationFile, {
    description: 'Change machine, switchover, items or product version (upgrade); re-signed',
  })
  updateActivationFile(
    @Arg('id', () => ID, { description: 'The activation file to change' }) id: string,
    @Arg('input', { description: 'What to change; fields left out stay as they are' })
    input: UpdateActivationFileInput,
    @Ctx() ctx: Context,
  ): Promise<ActivationFile> {
    return this.service.update(ctx.tenant, id, input);
  }

  @Mutation(() => ActivationFile, {
    description: "Its quantities return to the account's remaining ordered items",
  })
  deactivateActivationFile(
    @Arg('id', () => ID, { description: 'The activation file to deactivate' }) id: string,
    @Arg('reason', () => String, { description: 'Why the file is deactivated', nullable: true })
    reason: string | null,
    @Ctx() ctx: Context,
  ): Promise<ActivationFile> {
    return this.service.deactivate(ctx.tenant, id, reason);
  }

  @Mutation(() => ActivationFileDownload, {
    description: 'Download as <machine>.I3Lic, any number of times (counted)',
  })
  downloadActivationFile(
    @Arg('id', () => ID, { description: 'The activation file to download' }) id: string,
    @Ctx() ctx: Context,
  ): Promise<ActivationFileDownload> {
    return this.service.download(ctx.tenant, id);
  }

  @FieldResolver(() => InstallSite, {
    description: 'The install site whose server loads the file',
    nullable: true,
  })
  installSite(@Root() file: ActivationFile, @Ctx() ctx: Context): Promise<InstallSite | null> {
    return ctx.loaders.site.load(file.installSiteId);
  }

  @FieldResolver(() => Account, { description: 'The account the file licenses', nullable: true })
  account(@Root() file: ActivationFile, @Ctx() ctx: Context): Promise<Account | null> {
    return ctx.loaders.account.load(file.accountId);
  }

  @FieldResolver(() => LicensedMachine, { description: 'The machine the file is locked to' })
  machine(@Root() file: ActivationFile): LicensedMachine {
    return {
      hostId: file.hostId,
      machineName: file.machineName,
      systemType: file.systemType,
      mailConnector: file.mailConnector,
      serverItem: file.serverItem,
    };
  }

  @FieldResolver(() => LicensedMachine, {
    nullable: true,
    description: 'The second server of the switchover pair',
  })
  switchover(@Root() file: ActivationFile): LicensedMachine | null {
    if (!file.switchoverName || !file.switchoverServerItem) return null;
    return {
      hostId: file.switchoverHostId ?? '',
      machineName: file.switchoverName,
      systemType: file.switchoverSystemType,
      mailConnector: null,
      serverItem: file.switchoverServerItem,
    };
  }

  @FieldResolver(() => VirtualCloudTerms, {
    nullable: true,
    description: 'Ramp date and grace period (virtual-cloud files)',
  })
  virtualCloud(@Root() file: ActivationFile): VirtualCloudTerms | null {
    return file.rampDate && file.gracePeriodDays
      ? { rampDate: file.rampDate, gracePeriodDays: file.gracePeriodDays }
      : null;
  }

  @FieldResolver(() => [ActivationFileItem], {
    description: 'The parts the file holds and what it took from the order',
  })
  items(@Root() file: ActivationFile, @Ctx() ctx: Context): Promise<ActivationFileItem[]> {
    return ctx.loaders.itemsByFile.load(file.id);
  }
}

/** `ActivationFile` references from other subgraphs: batched, and only visible ones. */
export const resolveActivationFileReference = tenantCheckedReference(
  async (reference: { id: string }, ctx: Context): Promise<ActivationFile | null> => {
    const file = await ctx.loaders.file.load(reference.id);
    if (!file || !(await ctx.tenant.canAccess(file.accountId))) return null;
    return file;
  },
);
