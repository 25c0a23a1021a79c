import {
  buildFederatedSchema,
  createPubSub,
  keyOnlyReference,
  resolverContainer,
  type FederatedSchema,
} from '@lic/shared';
import { CheckInResolver } from './checkin/check-in.resolver.js';
import { type Context, type Services } from './context.js';
import { type StageChangeFilter } from './history/live.js';
import { StageChangeResolver } from './history/stage-change.resolver.js';
import { AccountHoldResolver } from './standing/account-hold.resolver.js';
import { EnforcementResolver, ServerEnforcementResolver } from './status/enforcement.resolver.js';
import { Server } from './status/server.types.js';

const resolvers = [
  EnforcementResolver,
  ServerEnforcementResolver,
  CheckInResolver,
  StageChangeResolver,
  AccountHoldResolver,
] as const;

/** Builds the subgraph schema; without services it can only be printed (SDL generation). */
export function buildEnforcementSchema(services?: Services): Promise<FederatedSchema> {
  const stageChanges = services
    ? new StageChangeResolver({ live: services.live, enforcement: services.enforcement }, services.pageBounds)
    : undefined;
  const instances =
    services && stageChanges
      ? [
          new EnforcementResolver(services.enforcement, services.demoClock),
          new ServerEnforcementResolver(services.enforcement, services.demoClock),
          new CheckInResolver(services.checkIns, services.enforcement.clock, services.demoClock),
          stageChanges,
          new AccountHoldResolver(services.standing),
        ]
      : [];
  return buildFederatedSchema(
    {
      resolvers,
      orphanedTypes: [Server],
      container: resolverContainer(instances),
      // type-graphql wants a PubSub to build subscription fields even when only printing the SDL.
      pubSub: services?.live ?? createPubSub({ redisUrl: undefined }).pubSub,
    },
    // Allocation owns Server; the enforcement status added to it applies the policy itself.
    { Server: { __resolveReference: keyOnlyReference() } },
    stageChanges
      ? {
          enforcementStageChanged: (args, context) =>
            stageChanges.subscribe(args as StageChangeFilter, context as Context),
        }
      : {},
  );
}
