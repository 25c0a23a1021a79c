import { buildFederatedSchema, resolverContainer, type FederatedSchema } from '@lic/shared';
import { type Services } from './context.js';
import { AccountServersResolver, ServerResolver } from './server/server.resolver.js';
import { resolveServerReference } from './server/server.reference.js';

const resolvers = [ServerResolver, AccountServersResolver] as const;

/** Builds the subgraph schema; without services it can only be printed (SDL generation). */
export function buildAllocationSchema(services?: Services): Promise<FederatedSchema> {
  const instances = services ? [new ServerResolver(services.servers), new AccountServersResolver()] : [];
  return buildFederatedSchema(
    { resolvers, container: resolverContainer(instances) },
    { Server: { __resolveReference: resolveServerReference } },
  );
}
