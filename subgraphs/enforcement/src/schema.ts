import { buildFederatedSchema, resolverContainer, type FederatedSchema } from '@lic/shared';
import { type Services } from './context.js';
import { EnforcementResolver, ServerEnforcementResolver } from './status/enforcement.resolver.js';
import { Server } from './status/server.ref.js';

const resolvers = [EnforcementResolver, ServerEnforcementResolver] as const;

/** Builds the subgraph schema; without services it can only be printed (SDL generation). */
export function buildEnforcementSchema(services?: Services): Promise<FederatedSchema> {
  const instances = services
    ? [new EnforcementResolver(services.enforcement), new ServerEnforcementResolver(services.enforcement)]
    : [];
  return buildFederatedSchema({ resolvers, orphanedTypes: [Server], container: resolverContainer(instances) });
}
