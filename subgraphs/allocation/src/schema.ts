import { buildFederatedSchema, keyOnlyReference, resolverContainer, type FederatedSchema } from '@lic/shared';
import { CallResolver, ServerCallsResolver } from './call/call.resolver.js';
import { type Services } from './context.js';
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
  const instances = services
    ? [
        new ServerResolver(services.servers),
        new ServerExpiryResolver(services.clock),
        new AccountServersResolver(),
        new LicenseResolver(services.licenses),
        new UserResolver(services.users),
        new StationResolver(services.stations),
        new SessionResolver(services.sessions),
        new LogonResultResolver(),
        new LogoffResultResolver(),
        new CallResolver(services.calls),
        new ServerCallsResolver(services.calls),
        new StatisticsResolver(),
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
  );
}
