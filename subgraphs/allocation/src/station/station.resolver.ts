import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { type Connection, PageArguments, type PageBounds, notFound, pageOf } from '@lic/shared';
import { STATION_ORDER, StationConnection } from '../connections.js';
import { type Context } from '../context.js';
import { checkServerAccess } from '../server/access.js';
import { Server } from '../server/server.entity.js';
import { Station } from './station.entity.js';
import { CreateStationInput } from './station.inputs.js';
import { StationService } from './station.service.js';

@Resolver(() => Station)
export class StationResolver {
  constructor(
    private readonly service: StationService,
    /** Page sizes of connections (config `pagination`); the defaults when absent. */
    private readonly pageBounds: PageBounds | undefined,
  ) {}

  @Query(() => Station, {
    description: 'One station, or null when it does not exist or the caller may not see it',
    nullable: true,
  })
  async station(
    @Arg('id', () => ID, { description: 'The station' }) id: string,
    @Ctx() ctx: Context,
  ): Promise<Station | null> {
    const station = await ctx.loaders.station.load(id);
    if (!station) return null;
    const server = await ctx.loaders.server.load(station.serverId);
    if (!server) return null;
    checkServerAccess(ctx.principal, server, 'read', await ctx.tenant.soldToFor(server.accountId));
    return station;
  }

  @Query(() => StationConnection, { description: "A page of the stations of a server's unit, oldest first" })
  async stationsConnection(
    @Arg('serverId', () => ID, { description: 'The server' }) serverId: string,
    @Args(() => PageArguments) page: PageArguments,
    @Ctx() ctx: Context,
  ): Promise<Connection<Station>> {
    const server = await ctx.loaders.server.load(serverId);
    if (!server) throw notFound('Server', serverId);
    checkServerAccess(ctx.principal, server, 'read', await ctx.tenant.soldToFor(server.accountId));
    return pageOf(
      await ctx.loaders.stationsByServer.load(server.unitId),
      page,
      STATION_ORDER,
      this.pageBounds,
    );
  }

  @Query(() => [Station], {
    description: "The stations of a server's unit",
    deprecationReason: 'Use stationsConnection; removed after one release',
  })
  async stations(
    @Arg('serverId', () => ID, { description: 'The server' }) serverId: string,
    @Ctx() ctx: Context,
  ): Promise<Station[]> {
    const server = await ctx.loaders.server.load(serverId);
    if (!server) throw notFound('Server', serverId);
    checkServerAccess(ctx.principal, server, 'read', await ctx.tenant.soldToFor(server.accountId));
    return ctx.loaders.stationsByServer.load(server.unitId);
  }

  @Mutation(() => Station, { description: 'Creates a station on a CIC server' })
  createStation(
    @Arg('input', { description: 'The new station' }) input: CreateStationInput,
    @Ctx() ctx: Context,
  ): Promise<Station> {
    return this.service.create(ctx.principal, input);
  }

  @Mutation(() => Station, {
    description: "Replaces the station's assigned licences (and optionally its enabled flag)",
  })
  setStationLicenses(
    @Arg('stationId', () => ID, { description: 'The station to change' }) stationId: string,
    @Arg('licenses', () => [String], {
      description: "The station's licence keys (replaces the current ones)",
    })
    licenses: string[],
    @Arg('enabled', () => Boolean, {
      description: 'Enable or disable the station (unchanged when left out)',
      nullable: true,
    })
    enabled: boolean | null,
    @Ctx() ctx: Context,
  ): Promise<Station> {
    return this.service.setLicenses(ctx.principal, stationId, licenses, enabled);
  }

  @Mutation(() => Boolean, { description: 'Deletes a station; true when it existed' })
  deleteStation(
    @Arg('id', () => ID, { description: 'The station to delete' }) id: string,
    @Ctx() ctx: Context,
  ): Promise<boolean> {
    return this.service.delete(ctx.principal, id);
  }

  @FieldResolver(() => Server, { description: 'The server the station is configured on', nullable: true })
  server(@Root() station: Station, @Ctx() ctx: Context): Promise<Server | null> {
    return ctx.loaders.server.load(station.serverId);
  }

  @FieldResolver(() => [String], {
    description: 'e.g. audio inactive: enabled without I3_LICENSE_BASIC_STATION',
  })
  warnings(@Root() station: Station): string[] {
    return this.service.warnings(station);
  }
}
