import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { type Connection, PageArguments, type PageBounds, pageOf, requirePrincipal } from '@lic/shared';
import {
  CicUserConnection,
  SERVER_ORDER,
  STATION_ORDER,
  ServerConnection,
  StationConnection,
  USER_ORDER,
} from '../connections.js';
import { Account } from '../account/account.types.js';
import { type Context } from '../context.js';
import { Station } from '../station/station.entity.js';
import { LicenseStatistic } from '../statistics/statistic.types.js';
import { CicUser } from '../user/user.entity.js';
import { canReadServer } from './access.js';
import { Server } from './server.entity.js';
import { RegisterServerInput } from './server.inputs.js';
import { ServerService } from './server.service.js';
import { ServerCredential, ServerLicense } from './server.types.js';

@Resolver(() => Server)
export class ServerResolver {
  constructor(
    private readonly service: ServerService,
    /** Page sizes of connections (config `pagination`); the defaults when absent. */
    private readonly pageBounds: PageBounds | undefined,
  ) {}

  @Query(() => Server, {
    description: 'One CIC server, or null when it does not exist or the caller may not see it',
    nullable: true,
  })
  async server(
    @Arg('id', () => ID, { description: 'The server' }) id: string,
    @Ctx() ctx: Context,
  ): Promise<Server | null> {
    requirePrincipal(ctx.principal);
    return this.service.visible(ctx.principal, await ctx.loaders.server.load(id));
  }

  @Mutation(() => Server, {
    description:
      'Registers a CIC server; a second server with the same machine name in the account is refused (BAD_USER_INPUT)',
  })
  registerServer(
    @Arg('input', { description: 'The server to register' }) input: RegisterServerInput,
    @Ctx() ctx: Context,
  ): Promise<Server> {
    return this.service.register(ctx.principal, input);
  }

  @Mutation(() => ServerCredential, {
    description:
      "Issues the server's machine credential (role SERVER, this server only); the previous one stops working",
  })
  issueServerCredential(
    @Arg('serverId', () => ID, { description: 'The server to issue a machine credential for' })
    serverId: string,
    @Ctx() ctx: Context,
  ): Promise<ServerCredential> {
    return this.service.issueCredential(ctx.principal, serverId);
  }

  @Mutation(() => Boolean, {
    description:
      "Renews the leases of the server's sessions; a lease runs from when the heartbeat (or a logon or logoff) is received",
  })
  heartbeat(
    @Arg('serverId', () => ID, { description: 'The server sending the heartbeat' }) serverId: string,
    @Arg('occurredAt', () => Date, {
      description: "The server's time of the heartbeat; default now",
      nullable: true,
    })
    occurredAt: Date | null,
    @Ctx() ctx: Context,
  ): Promise<boolean> {
    return this.service.heartbeat(ctx.principal, serverId, occurredAt);
  }

  @FieldResolver(() => Account, { description: 'The account the server belongs to' })
  account(@Root() server: Server): Account {
    return { id: server.accountId };
  }

  @FieldResolver(() => Server, {
    description: 'The other server of the switchover pair, if any',
    nullable: true,
  })
  async switchoverPartner(@Root() server: Server, @Ctx() ctx: Context): Promise<Server | null> {
    if (!server.switchoverPartnerId) return null;
    return this.service.visible(ctx.principal, await ctx.loaders.server.load(server.switchoverPartnerId));
  }

  @FieldResolver(() => Boolean, {
    description:
      'True for a single server and for the active member of a switchover pair (the member that accepts logons)',
  })
  active(@Root() server: Server): boolean {
    return !server.standby;
  }

  @FieldResolver(() => Boolean, {
    description: 'False from enforcement stage 4: supervisor licences are withheld',
  })
  supervisorEnabled(@Root() server: Server): boolean {
    return !server.supervisorDisabled;
  }

  @FieldResolver(() => ServerLicense, {
    description: 'The licence file loaded on the server (null without one)',
    nullable: true,
  })
  license(@Root() server: Server): ServerLicense | null {
    if (!server.licenseFileId || !server.licenseModel || !server.licenseType || !server.licenseLoadedAt)
      return null;
    return {
      fileId: server.licenseFileId,
      revision: server.licenseRevision ?? 1,
      licenseModel: server.licenseModel,
      licenseType: server.licenseType,
      loadedAt: server.licenseLoadedAt,
      expiresAt: server.licenseExpiresAt,
      withdrawnAt: server.licenseWithdrawnAt,
      keys: Object.entries(server.licenseKeys ?? {})
        .map(([key, quantity]) => ({ key, quantity }))
        .sort((a, b) => (a.key < b.key ? -1 : 1)),
    };
  }

  @FieldResolver(() => [LicenseStatistic], {
    description: "The server's licence statistics, one line per licence",
  })
  async statistics(@Root() server: Server, @Ctx() ctx: Context): Promise<LicenseStatistic[]> {
    if (!canReadServer(ctx.principal, server, await ctx.tenant.soldToFor(server.accountId))) return [];
    return ctx.loaders.statisticsByServer.load(server);
  }

  @FieldResolver(() => CicUserConnection, {
    description: 'A page of the users of the server’s unit (a switchover pair shares them), oldest first',
  })
  async usersConnection(
    @Root() server: Server,
    @Args(() => PageArguments) page: PageArguments,
    @Ctx() ctx: Context,
  ): Promise<Connection<CicUser>> {
    const users = canReadServer(ctx.principal, server, await ctx.tenant.soldToFor(server.accountId))
      ? await ctx.loaders.usersByServer.load(server.unitId)
      : [];
    return pageOf(users, page, USER_ORDER, this.pageBounds);
  }

  @FieldResolver(() => StationConnection, {
    description: 'A page of the stations of the server’s unit (a switchover pair shares them), oldest first',
  })
  async stationsConnection(
    @Root() server: Server,
    @Args(() => PageArguments) page: PageArguments,
    @Ctx() ctx: Context,
  ): Promise<Connection<Station>> {
    const stations = canReadServer(ctx.principal, server, await ctx.tenant.soldToFor(server.accountId))
      ? await ctx.loaders.stationsByServer.load(server.unitId)
      : [];
    return pageOf(stations, page, STATION_ORDER, this.pageBounds);
  }

  @FieldResolver(() => [CicUser], {
    description: 'The users of the server’s unit (a switchover pair shares them)',
    deprecationReason: 'Use usersConnection; removed after one release',
  })
  async users(@Root() server: Server, @Ctx() ctx: Context): Promise<CicUser[]> {
    if (!canReadServer(ctx.principal, server, await ctx.tenant.soldToFor(server.accountId))) return [];
    return ctx.loaders.usersByServer.load(server.unitId);
  }

  @FieldResolver(() => [Station], {
    description: 'The stations of the server’s unit (a switchover pair shares them)',
    deprecationReason: 'Use stationsConnection; removed after one release',
  })
  async stations(@Root() server: Server, @Ctx() ctx: Context): Promise<Station[]> {
    if (!canReadServer(ctx.principal, server, await ctx.tenant.soldToFor(server.accountId))) return [];
    return ctx.loaders.stationsByServer.load(server.unitId);
  }
}

@Resolver(() => Account)
export class AccountServersResolver {
  constructor(
    /** Page sizes of connections (config `pagination`); the defaults when absent. */
    private readonly pageBounds: PageBounds | undefined,
  ) {}

  @FieldResolver(() => ServerConnection, {
    nullable: true,
    description:
      'A page of the CIC servers registered to this account, oldest first (null while allocation is unavailable)',
  })
  async serversConnection(
    @Root() account: Account,
    @Args(() => PageArguments) page: PageArguments,
    @Ctx() ctx: Context,
  ): Promise<Connection<Server>> {
    requirePrincipal(ctx.principal);
    const servers = (await ctx.tenant.canAccess(account.id))
      ? await ctx.loaders.serversByAccount.load(account.id)
      : [];
    return pageOf(servers, page, SERVER_ORDER, this.pageBounds);
  }

  @FieldResolver(() => [Server], {
    nullable: true,
    description: 'CIC servers registered to this account (null while allocation is unavailable)',
    deprecationReason: 'Use serversConnection; removed after one release',
  })
  async servers(@Root() account: Account, @Ctx() ctx: Context): Promise<Server[]> {
    requirePrincipal(ctx.principal);
    if (!(await ctx.tenant.canAccess(account.id))) return [];
    return ctx.loaders.serversByAccount.load(account.id);
  }
}
