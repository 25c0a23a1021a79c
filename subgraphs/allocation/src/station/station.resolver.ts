import { Arg, Ctx, Field, FieldResolver, ID, InputType, Mutation, Query, Resolver, Root } from 'type-graphql';
import { notFound } from '@lic/shared';
import { type Context } from '../context.js';
import { checkServerAccess } from '../server/access.js';
import { Server } from '../server/server.entity.js';
import { Station, StationKind } from './station.entity.js';
import { StationService } from './station.service.js';

@InputType()
export class CreateStationInput {
  @Field(() => ID)
  serverId!: string;

  @Field()
  name!: string;

  @Field(() => StationKind)
  kind!: StationKind;

  @Field(() => [String])
  licenses!: string[];

  @Field(() => Boolean, {
    nullable: true,
    description: 'Default true; an enabled station without Basic Station is saved with a warning',
  })
  enabled?: boolean;
}

@Resolver(() => Station)
export class StationResolver {
  constructor(private readonly service: StationService) {}

  @Query(() => Station, { nullable: true })
  async station(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Station | null> {
    const station = await ctx.loaders.station.load(id);
    if (!station) return null;
    const server = await ctx.loaders.server.load(station.serverId);
    if (!server) return null;
    checkServerAccess(ctx.principal, server, 'read', await ctx.tenant.soldToFor(server.accountId));
    return station;
  }

  @Query(() => [Station])
  async stations(@Arg('serverId', () => ID) serverId: string, @Ctx() ctx: Context): Promise<Station[]> {
    const server = await ctx.loaders.server.load(serverId);
    if (!server) throw notFound('Server', serverId);
    checkServerAccess(ctx.principal, server, 'read', await ctx.tenant.soldToFor(server.accountId));
    return ctx.loaders.stationsByServer.load(server.unitId);
  }

  @Mutation(() => Station)
  createStation(@Arg('input') input: CreateStationInput, @Ctx() ctx: Context): Promise<Station> {
    return this.service.create(ctx.principal, input);
  }

  @Mutation(() => Station, {
    description: "Replaces the station's assigned licences (and optionally its enabled flag)",
  })
  setStationLicenses(
    @Arg('stationId', () => ID) stationId: string,
    @Arg('licenses', () => [String]) licenses: string[],
    @Arg('enabled', () => Boolean, { nullable: true }) enabled: boolean | null,
    @Ctx() ctx: Context,
  ): Promise<Station> {
    return this.service.setLicenses(ctx.principal, stationId, licenses, enabled);
  }

  @Mutation(() => Boolean)
  deleteStation(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<boolean> {
    return this.service.delete(ctx.principal, id);
  }

  @FieldResolver(() => Server, { nullable: true })
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
