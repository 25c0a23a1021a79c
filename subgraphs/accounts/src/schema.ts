import {
  buildFederatedSchema,
  printingOnlyReference,
  resolverContainer,
  type FederatedSchema,
} from '@lic/shared';
import { ApiKeyResolver } from './api-key/api-key.resolver.js';
import { resolveAccountReference } from './account/account.reference.js';
import { AccountResolver } from './account/account.resolver.js';
import { AuditResolver } from './audit/audit.resolver.js';
import {
  ActivationFileResolver,
  resolveActivationFileReference,
} from './activation-file/activation-file.resolver.js';
import { type Services } from './context.js';
import { InstallSiteResolver, resolveInstallSiteReference } from './install-site/install-site.resolver.js';
import { PartResolver } from './part/part.resolver.js';
import { requestReferenceResolver } from './request/request.reference.js';
import { ActivationFileRequestResolver } from './request/request.resolver.js';
import { salesOrderReferenceResolver } from './sales-order/sales-order.reference.js';
import { SalesOrderLineResolver, SalesOrderResolver } from './sales-order/sales-order.resolver.js';
import { WebhookDeliveryResolver, WebhookEndpointResolver } from './webhook/webhook.resolver.js';

const resolvers = [
  AccountResolver,
  InstallSiteResolver,
  PartResolver,
  SalesOrderResolver,
  SalesOrderLineResolver,
  ActivationFileResolver,
  ActivationFileRequestResolver,
  WebhookEndpointResolver,
  WebhookDeliveryResolver,
  ApiKeyResolver,
  AuditResolver,
] as const;

/** Builds the subgraph schema; without services it can only be printed (SDL generation). */
export function buildAccountsSchema(services?: Services): Promise<FederatedSchema> {
  const instances = services
    ? [
        new AccountResolver(
          services.accounts,
          services.orders,
          services.parts,
          services.clock,
          services.pageBounds,
        ),
        new InstallSiteResolver(services.sites),
        new PartResolver(services.parts),
        new SalesOrderResolver(services.orders),
        new SalesOrderLineResolver(services.parts),
        new ActivationFileResolver(services.files, services.pageBounds),
        new ActivationFileRequestResolver(services.requests, services.pageBounds),
        new WebhookEndpointResolver(services.webhooks, services.pageBounds),
        new WebhookDeliveryResolver(),
        new ApiKeyResolver(services.apiKeys, services.pageBounds),
        new AuditResolver(services.audit, services.pageBounds),
      ]
    : [];
  return buildFederatedSchema(
    { resolvers, container: resolverContainer(instances) },
    {
      Account: { __resolveReference: resolveAccountReference },
      InstallSite: { __resolveReference: resolveInstallSiteReference },
      ActivationFile: { __resolveReference: resolveActivationFileReference },
      SalesOrder: {
        __resolveReference: services ? salesOrderReferenceResolver(services.orders) : printingOnlyReference(),
      },
      ActivationFileRequest: {
        __resolveReference: services ? requestReferenceResolver(services.requests) : printingOnlyReference(),
      },
    },
  );
}
