import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { type Connection, PageArguments, type PageBounds, notFound, pageOf } from '@lic/shared';
import { CicUserConnection, USER_ORDER } from '../connections.js';
import { type Context } from '../context.js';
import { validateUserLicenses } from '../rules/licenses.js';
import { checkServerAccess } from '../server/access.js';
import { Server } from '../server/server.entity.js';
import { LogonSession } from '../session/session.entity.js';
import { Station } from '../station/station.entity.js';
import { AllocationMethod, CicUser } from './user.entity.js';
import { CreateCicUserInput } from './user.inputs.js';
import { UserService } from './user.service.js';

@Resolver(() => CicUser)
export class UserResolver {
  constructor(
    private readonly service: UserService,
    /** Page sizes of connections (config `pagination`); the defaults when absent. */
    private readonly pageBounds: PageBounds | undefined,
  ) {}

  @Query(() => CicUser, {
    description: 'One user, or null when it does not exist or the caller may not see it',
    nullable: true,
  })
  async cicUser(
    @Arg('id', () => ID, { description: 'The user' }) id: string,
    @Ctx() ctx: Context,
  ): Promise<CicUser | null> {
    const user = await ctx.loaders.user.load(id);
    if (!user) return null;
    const server = await ctx.loaders.server.load(user.serverId);
    if (!server) return null;
    checkServerAccess(ctx.principal, server, 'read', await ctx.tenant.soldToFor(server.accountId));
    return user;
  }

  @Query(() => CicUserConnection, { description: "A page of the users of a server's unit, oldest first" })
  async cicUsersConnection(
    @Arg('serverId', () => ID, { description: 'The server' }) serverId: string,
    @Args(() => PageArguments) page: PageArguments,
    @Ctx() ctx: Context,
  ): Promise<Connection<CicUser>> {
    const server = await ctx.loaders.server.load(serverId);
    if (!server) throw notFound('Server', serverId);
    checkServerAccess(ctx.principal, server, 'read', await ctx.tenant.soldToFor(server.accountId));
    return pageOf(await ctx.loaders.usersByServer.load(server.unitId), page, USER_ORDER, this.pageBounds);
  }

  @Query(() => [CicUser], {
    description: "The users of a server's unit",
    deprecationReason: 'Use cicUsersConnection; removed after one release',
  })
  async cicUsers(
    @Arg('serverId', () => ID, { description: 'The server' }) serverId: string,
    @Ctx() ctx: Context,
  ): Promise<CicUser[]> {
    const server = await ctx.loaders.server.load(serverId);
    if (!server) throw notFound('Server', serverId);
    checkServerAccess(ctx.principal, server, 'read', await ctx.tenant.soldToFor(server.accountId));
    return ctx.loaders.usersByServer.load(server.unitId);
  }

  @Mutation(() => CicUser, { description: 'Creates a user on a CIC server' })
  createCicUser(
    @Arg('input', { description: 'The new user' }) input: CreateCicUserInput,
    @Ctx() ctx: Context,
  ): Promise<CicUser> {
    return this.service.create(ctx.principal, input);
  }

  @Mutation(() => CicUser, {
    description: "Replaces the user's licences (and optionally its allocation method)",
  })
  setUserLicenses(
    @Arg('userId', () => ID, { description: 'The user to change' }) userId: string,
    @Arg('licenses', () => [String], { description: "The user's licence keys (replaces the current ones)" })
    licenses: string[],
    @Arg('allocationMethod', () => AllocationMethod, {
      description: 'ASSIGNED or CONCURRENT (unchanged when left out)',
      nullable: true,
    })
    allocationMethod: AllocationMethod | null,
    @Ctx() ctx: Context,
  ): Promise<CicUser> {
    return this.service.setLicenses(ctx.principal, userId, licenses, allocationMethod);
  }

  @Mutation(() => CicUser, {
    description: 'Sets the interaction types the user’s workgroups queue, and the chosen ones',
  })
  setUserMediaTypes(
    @Arg('userId', () => ID, { description: 'The user to change' }) userId: string,
    @Arg('queuedMediaTypes', () => [String], { description: 'The media types queued to the user' })
    queued: string[],
    @Arg('chosenMediaTypes', () => [String], {
      description: 'The media types the user chose (null: all queued ones)',
      nullable: true,
    })
    chosen: string[] | null,
    @Ctx() ctx: Context,
  ): Promise<CicUser> {
    return this.service.setMediaTypes(ctx.principal, userId, queued, chosen);
  }

  @Mutation(() => Boolean, { description: 'Deletes a user; its sessions end. True when it existed' })
  deleteCicUser(
    @Arg('id', () => ID, { description: 'The user to delete' }) id: string,
    @Ctx() ctx: Context,
  ): Promise<boolean> {
    return this.service.delete(ctx.principal, id);
  }

  @FieldResolver(() => Server, { description: 'The server the user is configured on', nullable: true })
  server(@Root() user: CicUser, @Ctx() ctx: Context): Promise<Server | null> {
    return ctx.loaders.server.load(user.serverId);
  }

  @FieldResolver(() => Station, { nullable: true, description: 'The station the user is logged on at' })
  async station(@Root() user: CicUser, @Ctx() ctx: Context): Promise<Station | null> {
    return user.stationId ? ctx.loaders.station.load(user.stationId) : null;
  }

  @FieldResolver(() => Boolean, { description: 'True while the user has a running session' })
  loggedOn(@Root() user: CicUser): boolean {
    return user.sessions.length > 0;
  }

  @FieldResolver(() => [LogonSession], { description: 'The running application sessions' })
  async activeSessions(@Root() user: CicUser, @Ctx() ctx: Context): Promise<LogonSession[]> {
    const sessions = await ctx.loaders.session.loadMany(user.sessions.map((s) => s.id));
    return sessions.filter((s): s is LogonSession => s instanceof LogonSession);
  }

  @FieldResolver(() => [String], { description: 'Configuration warnings (e.g. a redundant lower IPA level)' })
  warnings(@Root() user: CicUser): string[] {
    const result = validateUserLicenses({ allocationMethod: user.allocationMethod, licenses: user.licenses });
    return result.ok ? result.warnings : [];
  }
}
