import { buildFederatedSchema, keyOnlyReference, resolverContainer, type FederatedSchema } from '@lic/shared';
import './enums.js';
import { Account } from './account/account.types.js';
import { AccountBillingResolver } from './account/account-billing.resolver.js';
import { Server } from './account/server.types.js';
import { UsageFileResolver } from './usage-file/usage-file.resolver.js';
import { BillingPeriodResolver } from './period/billing-period.resolver.js';
import { UsageReportResolver } from './report/usage-report.resolver.js';
import { CicUser } from './usage/cic-user.types.js';
import { ServerUsageResolver, UsageSessionResolver } from './usage/usage-session.resolver.js';

const resolvers = [
  BillingPeriodResolver,
  AccountBillingResolver,
  UsageReportResolver,
  UsageSessionResolver,
  ServerUsageResolver,
  UsageFileResolver,
] as const;

/**
 * Builds the subgraph schema. Resolvers take everything from the request context, so the same
 * instances serve SDL printing (no runtime) and the running server.
 */
export function buildBillingSchema(): Promise<FederatedSchema> {
  return buildFederatedSchema(
    {
      resolvers,
      orphanedTypes: [Account, Server, CicUser],
      container: resolverContainer(resolvers.map((R) => new R())),
    },
    // Billing owns none of its keyed types; every field it adds to them applies the policy.
    {
      Account: { __resolveReference: keyOnlyReference() },
      Server: { __resolveReference: keyOnlyReference() },
      CicUser: { __resolveReference: keyOnlyReference() },
    },
  );
}
