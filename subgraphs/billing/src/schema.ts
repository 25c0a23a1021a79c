import { buildFederatedSchema, resolverContainer, systemClock, type Clock, type FederatedSchema } from '@lic/shared';
import { Account } from './account/account.ref.js';
import { AccountBillingResolver, BillingPeriodResolver } from './period/billing-period.resolver.js';

const resolvers = [BillingPeriodResolver, AccountBillingResolver] as const;

/** Builds the subgraph schema; without a runtime it can only be printed (SDL generation). */
export function buildBillingSchema(deps?: { clock: Clock }): Promise<FederatedSchema> {
  const clock = deps?.clock ?? systemClock;
  const instances = deps ? [new BillingPeriodResolver(clock), new AccountBillingResolver(clock)] : [];
  return buildFederatedSchema({ resolvers, orphanedTypes: [Account], container: resolverContainer(instances) });
}
