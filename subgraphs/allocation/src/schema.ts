import { buildFederatedSchema, keyOnlyReference, resolverContainer, type FederatedSchema } from '@lic/shared';
import { CallResolver, ServerCallsResolver } from './call/call.resolver.js';
import { type Context, type Services } from './context.js';
import { ServerExpiryResolver } from './expiry/expiry.resolver.js';
import { LicenseResolver } from './license/license.resolver.js';
import { AccountServersResolver, ServerResolver } from './server/server.resolver.js';
import { resolveServerReference } from './server/server.reference.js';
import { LogoffResultResolver, LogonResultResolver, SessionResolver } from './session/session.resolver.js';
import { StationResolver } from './station/station.resolver.js';
import { StatisticsResolver } from './statistics/statistics.resolver.js';
import { resolveStationReference, resolveUserReference } from './user/user.reference.js';
import { UserResolver } from './user/user.resolver.js';

const printingPubSub = {
  publish: (): void => undefined,
  subscribe: (): AsyncIterable<never> => {
    throw new Error('the printing schema serves no subscriptions');
  },
};

const resolvers = [
  ServerResolver,
  ServerExpiryResolver,
  AccountServersResolver,
  LicenseResolver,
  UserResolver,
  StationResolver,
  SessionResolver,
  LogonResultResolver,
  LogoffResultResolver,
  CallResolver,
  ServerCallsResolver,
  StatisticsResolver,
] as const;

/** Builds the subgraph schema; without services it can only be printed (SDL generation). */
export function buildAllocationSchema(services?: Services): Promise<FederatedSchema> {
  const statistics = services
    ? new StatisticsResolver(
        services.statistics,
        services.history,
        services.servers,
        services.feed,
        services.pageBounds,
      )
    : undefined;
  const instances =
    services && statistics
      ? [
          new ServerResolver(services.servers, services.pageBounds),
          new ServerExpiryResolver(services.clock),
          new AccountServersResolver(services.pageBounds),
          new LicenseResolver(services.licenses),
          new UserResolver(services.users, services.pageBounds),
          new StationResolver(services.stations, services.pageBounds),
          new SessionResolver(services.sessions, services.pageBounds),
          new LogonResultResolver(),
          new LogoffResultResolver(),
          new CallResolver(services.calls),
          new ServerCallsResolver(services.calls),
          statistics,
        ]
      : [];
  return buildFederatedSchema(
    // Subscriptions use their own subscribe function (StatisticsFeed.stream); type-graphql still asks for a PubSub.
    { resolvers, container: resolverContainer(instances), pubSub: services?.pubSub ?? printingPubSub },
    {
      Server: { __resolveReference: resolveServerReference },
      CicUser: { __resolveReference: resolveUserReference },
      Station: { __resolveReference: resolveStationReference },
      Account: { __resolveReference: keyOnlyReference() },
    },
    statistics
      ? {
          licenseStatisticsChanged: (args, context) =>
            statistics.subscribe(args as { serverId: string }, context as Context),
        }
      : {},
  );
}
