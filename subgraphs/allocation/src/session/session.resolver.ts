import { type GraphQLResolveInfo, Kind } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { type Connection, PageArguments, type PageBounds, badInput, notFound } from '@lic/shared';
import { LogonSessionConnection } from '../connections.js';
import { type Context } from '../context.js';
import { checkServerAccess } from '../server/access.js';
import { Server } from '../server/server.entity.js';
import { LogonSession } from './session.entity.js';
import { LogoffInput, LogonInput } from './session.inputs.js';
import { SessionService } from './session.service.js';
import { LogoffResult, LogonResult } from './session.types.js';

/** The selection asks for nothing but the id: no need to read the session back. */
function onlyId(info: GraphQLResolveInfo): boolean {
  return info.fieldNodes.every((node) =>
    (node.selectionSet?.selections ?? []).every(
      (s) => s.kind === Kind.FIELD && (s.name.value === 'id' || s.name.value === '__typename'),
    ),
  );
}

async function sessionFor(
  id: string | null,
  ctx: Context,
  info: GraphQLResolveInfo,
): Promise<LogonSession | null> {
  if (id === null) return null;
  if (onlyId(info)) return Object.assign(new LogonSession(), { id });
  return ctx.loaders.session.load(id);
}

@Resolver(() => LogonResult)
export class LogonResultResolver {
  @FieldResolver(() => LogonSession, { description: 'The session started' })
  async session(
    @Root() result: LogonResult,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<LogonSession> {
    const session = await sessionFor(result.sessionId, ctx, info);
    if (!session) throw notFound('Session', result.sessionId);
    return session;
  }
}

@Resolver(() => LogoffResult)
export class LogoffResultResolver {
  @FieldResolver(() => LogonSession, {
    description: 'The session ended (null when none matched)',
    nullable: true,
  })
  session(
    @Root() result: LogoffResult,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<LogonSession | null> {
    return sessionFor(result.sessionId, ctx, info);
  }
}

@Resolver(() => LogonSession)
export class SessionResolver {
  constructor(
    private readonly service: SessionService,
    /** Page sizes of connections (config `pagination`); the defaults when absent. */
    private readonly pageBounds: PageBounds | undefined,
  ) {}

  @Mutation(() => LogonResult, {
    description: 'A user logs on with a station (or a dynamic remote number) and an application',
  })
  async logon(
    @Arg('input', { description: 'Who logs on where, with which application' })
    input: LogonInput,
    @Ctx() ctx: Context,
  ): Promise<LogonResult> {
    return this.service.logon(ctx.principal, input);
  }

  @Mutation(() => LogoffResult, {
    description: "Ends the application's session; the last one gives the licences back",
  })
  async logoff(
    @Arg('input', { description: 'Who logs off where, with which application' })
    input: LogoffInput,
    @Ctx() ctx: Context,
  ): Promise<LogoffResult> {
    return this.service.logoff(ctx.principal, input);
  }

  @Mutation(() => Server, {
    description: 'The server started (or took over as switchover): its earlier sessions end',
  })
  reportServerStarted(
    @Arg('serverId', () => ID, { description: 'The server that started' }) serverId: string,
    @Arg('switchover', () => Boolean, {
      description: 'True when the server took over from its switchover partner',
      defaultValue: false,
    })
    switchover: boolean,
    @Arg('occurredAt', () => Date, {
      description: "The server's time of the start; default now",
      nullable: true,
    })
    occurredAt: Date | null,
    @Ctx() ctx: Context,
  ): Promise<Server> {
    return this.service.serverStarted(ctx.principal, serverId, switchover, occurredAt);
  }

  @Query(() => LogonSessionConnection, { description: "A page of a server's sessions, newest first" })
  async sessionsConnection(
    @Arg('serverId', () => ID, { description: 'The server' }) serverId: string,
    @Arg('activeOnly', () => Boolean, {
      description: 'Only running sessions (default true)',
      defaultValue: true,
    })
    activeOnly: boolean,
    @Arg('userId', () => ID, { description: "Only this user's sessions", nullable: true })
    userId: string | null,
    @Args(() => PageArguments) page: PageArguments,
    @Ctx() ctx: Context,
  ): Promise<Connection<LogonSession>> {
    const server = await ctx.loaders.server.load(serverId);
    if (!server) throw notFound('Server', serverId);
    checkServerAccess(ctx.principal, server, 'read', await ctx.tenant.soldToFor(server.accountId));
    return this.service.sessionsPage(serverId, { activeOnly, userId }, page, this.pageBounds);
  }

  @Query(() => [LogonSession], {
    description: "A server's sessions, newest first",
    deprecationReason: 'Use sessionsConnection; removed after one release',
  })
  async sessions(
    @Arg('serverId', () => ID, { description: 'The server' }) serverId: string,
    @Arg('activeOnly', () => Boolean, {
      description: 'Only running sessions (default true)',
      defaultValue: true,
    })
    activeOnly: boolean,
    @Arg('userId', () => ID, { description: "Only this user's sessions", nullable: true })
    userId: string | null,
    @Arg('limit', () => Int, { description: 'At most this many sessions (default 200)', defaultValue: 200 })
    limit: number,
    @Ctx() ctx: Context,
  ): Promise<LogonSession[]> {
    const server = await ctx.loaders.server.load(serverId);
    if (!server) throw notFound('Server', serverId);
    checkServerAccess(ctx.principal, server, 'read', await ctx.tenant.soldToFor(server.accountId));
    if (limit < 1 || limit > 5000) throw badInput('limit must be from 1 to 5000', 'limit');
    return this.service.sessionsOfServers([serverId], { activeOnly, userId, limit });
  }
}
