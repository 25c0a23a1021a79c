import { buildFederatedSchema, resolverContainer, type FederatedSchema } from '@lic/shared';
import { AccountResolver } from './account/account.resolver.js';
import { resolveAccountReference } from './account/account.reference.js';
import { type Services } from './context.js';

const resolvers = [AccountResolver] as const;

/** Builds the subgraph schema; without services it can only be printed (SDL generation). */
export function buildAccountsSchema(services?: Services): Promise<FederatedSchema> {
  const instances = services ? [new AccountResolver(services.accounts)] : [];
  return buildFederatedSchema(
    { resolvers, container: resolverContainer(instances) },
    { Account: { __resolveReference: resolveAccountReference } },
  );
}
