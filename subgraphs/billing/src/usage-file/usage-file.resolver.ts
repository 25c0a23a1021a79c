import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import {
  type Clock,
  type Connection,
  ConnectionType,
  type ListOrder,
  PageArguments,
  type PageBounds,
  badInput,
  pageOf,
  requirePrincipal,
  requiredText,
} from '@lic/shared';
import { USAGE_READERS, USAGE_UPLOADERS, assertServerAccess } from '../access.js';
import { type Context } from '../context.js';
import { billingPeriodAt } from '../rules/billing-period.js';
import { utcDayNumber } from '../usage/usage-ingest.service.js';
import { type UsageFileInfo, type UsageFileService, parseFileId } from './usage-file.service.js';
import { UsageFile, UsageFileUpload } from './usage-file.types.js';

/** A UsageFile object keeps the catalogue entry it came from, for the batched field resolvers. */
type UsageFileObject = UsageFile & { info: UsageFileInfo };

function toObject(info: UsageFileInfo, now: number): UsageFileObject {
  return {
    info,
    id: info.id,
    fileName: info.fileName,
    server: { id: info.serverId },
    day: info.day,
    sequence: info.sequence,
    start: new Date(info.start),
    end: new Date(info.end),
    complete: info.end <= now,
    mode: info.mode,
    uploaded: info.uploadedAt !== null,
    uploadedAt: info.uploadedAt === null ? null : new Date(info.uploadedAt),
    uploadMode: info.uploadMode,
  };
}

export const UsageFileConnection = ConnectionType(UsageFile, 'UsageFile', 'usage file');

/** Usage files oldest first, keyed (start, id); a window (at most 400 days) is listed whole and paged in memory. */
export const USAGE_FILE_ORDER: ListOrder<UsageFile> = {
  list: 'usageFiles',
  direction: 'ASC',
  key: (f) => f.start.getTime(),
  id: (f) => f.id,
};

@Resolver(() => UsageFile)
export class UsageFileResolver {
  constructor(
    private readonly service: UsageFileService,
    private readonly clock: Clock,
    /** Page sizes of connections (config `pagination`); the defaults when absent. */
    private readonly pageBounds: PageBounds | undefined,
  ) {}

  @Query(() => UsageFileConnection, {
    description:
      "A page of a server's usage files for the days in [from, to), oldest first; default from the start of the previous billing period until now",
  })
  async usageFilesConnection(
    @Arg('serverId', () => ID, { description: 'The server whose files to list' }) serverId: string,
    @Arg('from', () => Date, { description: 'Files of days from this instant', nullable: true })
    from: Date | undefined,
    @Arg('to', () => Date, { description: 'Files of days before this instant (exclusive)', nullable: true })
    to: Date | undefined,
    @Args(() => PageArguments) page: PageArguments,
    @Ctx() ctx: Context,
  ): Promise<Connection<UsageFile>> {
    const files = await this.usageFiles(serverId, from, to, ctx);
    return pageOf(files, page, USAGE_FILE_ORDER, this.pageBounds);
  }

  @Query(() => [UsageFile], {
    description:
      "A server's usage files for the days in [from, to); default from the start of the previous billing period until now",
    deprecationReason: 'Use usageFilesConnection; removed after one release',
  })
  async usageFiles(
    @Arg('serverId', () => ID, { description: 'The server whose files to list' }) serverId: string,
    @Arg('from', () => Date, { description: 'Files of days from this instant', nullable: true })
    from: Date | undefined,
    @Arg('to', () => Date, { description: 'Files of days before this instant (exclusive)', nullable: true })
    to: Date | undefined,
    @Ctx() ctx: Context,
  ): Promise<UsageFile[]> {
    await assertServerAccess(ctx.tenant, serverId, await ctx.loaders.server.load(serverId), [
      ...USAGE_READERS,
      'SERVER',
    ]);
    const now = this.clock.now();
    const fromMs = (
      from ?? billingPeriodAt(new Date(billingPeriodAt(now).start.getTime() - 1)).start
    ).getTime();
    const toMs = (to ?? now).getTime();
    if (toMs <= fromMs) throw badInput('to must be after from', 'to');
    if (toMs - fromMs > 400 * 86_400_000) throw badInput('ask for at most 400 days of files at once', 'to');
    const files = await this.service.catalog(
      { serverIds: [serverId] },
      utcDayNumber(fromMs),
      utcDayNumber(toMs - 1) + 1,
    );
    return files.map((f) => toObject(f, now.getTime()));
  }

  @Query(() => UsageFile, { nullable: true, description: 'One usage file (download its content)' })
  async usageFile(
    @Arg('id', () => ID, { description: 'The usage file' }) id: string,
    @Ctx() ctx: Context,
  ): Promise<UsageFile | null> {
    const { serverId, start } = parseFileId(id);
    await assertServerAccess(ctx.tenant, serverId, await ctx.loaders.server.load(serverId), [
      ...USAGE_READERS,
      'SERVER',
    ]);
    const day = utcDayNumber(start);
    const files = await this.service.catalog({ serverIds: [serverId] }, day, day + 1);
    const file = files.find((f) => f.id === id);
    return file ? toObject(file, this.clock.now().getTime()) : null;
  }

  @FieldResolver(() => Int, { description: 'Logon and logoff records in the file' })
  records(@Root() file: UsageFileObject, @Ctx() ctx: Context): Promise<number> {
    return ctx.loaders.fileRecords.load(file.info);
  }

  @FieldResolver(() => String, {
    description:
      'The file as a server writes it: AES-256-GCM sealed, integrity-protected text (upload it as is)',
  })
  content(@Root() file: UsageFileObject, @Ctx() ctx: Context): Promise<string> {
    return ctx.loaders.fileContent.load(file.info);
  }

  @Mutation(() => UsageFileUpload, {
    description:
      'Uploads a usage file by hand: decrypted, verified and ingested once (the same file again changes nothing); a damaged or foreign file is refused',
  })
  async uploadUsageFile(
    @Arg('serverId', () => ID, { description: 'The server that wrote the file' }) serverId: string,
    @Arg('fileName', () => String, { description: 'The name the server wrote the file under' })
    fileName: string,
    @Arg('content', () => String, { description: 'The sealed usage file, as the server wrote it' })
    content: string,
    @Ctx() ctx: Context,
  ): Promise<UsageFileUpload> {
    const server = await assertServerAccess(ctx.tenant, serverId, await ctx.loaders.server.load(serverId), [
      ...USAGE_UPLOADERS,
    ]);
    requiredText(fileName, 'fileName', 'fileName', 255);
    const result = await this.service.upload(requirePrincipal(ctx.principal), server, content);
    return {
      id: result.id,
      fileName: result.fileName,
      server: { id: result.serverId },
      day: result.day,
      sequence: result.sequence,
      records: result.records,
      ingestedRecords: result.ingestedRecords,
      duplicate: result.duplicate,
      uploadedAt: new Date(result.uploadedAt),
    };
  }
}
