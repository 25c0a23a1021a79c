import { buildFederatedSchema, keyOnlyReference, resolverContainer, type FederatedSchema } from '@lic/shared';
import './enums.js';
import { Account } from './account/account.types.js';
import { AccountBillingResolver } from './account/account-billing.resolver.js';
import { Server } from './account/server.types.js';
import { type Services } from './context.js';
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

/** Builds the subgraph schema; without services it can only be printed (SDL generation). */
export function buildBillingSchema(services?: Services): Promise<FederatedSchema> {
  const instances = services
    ? [
        new BillingPeriodResolver(services.clock),
        new AccountBillingResolver(services.accounts, services.clock),
        new UsageReportResolver(services.reports),
        new UsageSessionResolver(services.sessions, services.pageBounds),
        new ServerUsageResolver(),
        new UsageFileResolver(services.files, services.clock, services.pageBounds),
      ]
    : [];
  return buildFederatedSchema(
    {
      resolvers,
      orphanedTypes: [Account, Server, CicUser],
      container: resolverContainer(instances),
    },
    // Billing owns none of its keyed types; every field it adds to them applies the policy.
    {
      Account: { __resolveReference: keyOnlyReference() },
      Server: { __resolveReference: keyOnlyReference() },
      CicUser: { __resolveReference: keyOnlyReference() },
    },
  );
}
