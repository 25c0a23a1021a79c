import { type PageBounds } from '@lic/shared';
import { type Clock, type Principal } from '@lic/shared';
import { TenantScope } from './access/tenant-scope.js';
import { type AccountLoaders, createAccountLoaders } from './account/account.loaders.js';
import { type AccountService } from './account/account.service.js';
import { type ApiKeyService } from './api-key/api-key.service.js';
import { type AuditService } from './audit/audit.service.js';
import {
  type ActivationFileLoaders,
  createActivationFileLoaders,
} from './activation-file/activation-file.loaders.js';
import { type ActivationFileService } from './activation-file/activation-file.service.js';
import { type ExpiryWarnings } from './activation-file/expiry-warnings.js';
import { type InstallSiteLoaders, createInstallSiteLoaders } from './install-site/install-site.loaders.js';
import { type InstallSiteService } from './install-site/install-site.service.js';
import { type PartService } from './part/part.service.js';
import { type RequestLoaders, createRequestLoaders } from './request/request.loaders.js';
import { type ActivationFileRequestService } from './request/request.service.js';
import { type SalesOrderLoaders, createSalesOrderLoaders } from './sales-order/sales-order.loaders.js';
import { type SalesOrderService } from './sales-order/sales-order.service.js';
import { createWebhookLoaders, type WebhookLoaders } from './webhook/webhook.loaders.js';
import { type WebhookService } from './webhook/webhook.service.js';

export interface Services {
  /** Page sizes of connections (config `pagination`); the defaults when absent. */
  pageBounds?: PageBounds;
  clock: Clock;
  accounts: AccountService;
  parts: PartService;
  sites: InstallSiteService;
  orders: SalesOrderService;
  files: ActivationFileService;
  requests: ActivationFileRequestService;
  webhooks: WebhookService;
  /** Announces files coming within 30, 7 and 1 days of expiry (tests tick it by hand). */
  expiryWarnings: ExpiryWarnings;
  apiKeys: ApiKeyService;
  audit: AuditService;
}

export type Loaders = AccountLoaders &
  InstallSiteLoaders &
  SalesOrderLoaders &
  ActivationFileLoaders &
  RequestLoaders &
  WebhookLoaders;

/**
 * Per request: who is calling, their tenant scope and fresh DataLoaders (never shared between
 * requests). Services are not here: each resolver is constructed with the ones it uses (schema.ts).
 */
export interface Context {
  principal: Principal | undefined;
  /**
   * The tenant-access policy for this request, with a partner's customers looked up once, lazily:
   * a per-request cache, like a loader.
   */
  tenant: TenantScope;
  loaders: Loaders;
}

/** Builds a request's context from the services (its loaders read through them) and the caller. */
export function createContext(services: Services, principal: Principal | undefined): Context {
  return {
    principal,
    tenant: new TenantScope(principal, (partnerId) => services.orders.soldToAccountIds(partnerId)),
    loaders: {
      ...createAccountLoaders(services.accounts),
      ...createInstallSiteLoaders(services.sites),
      ...createSalesOrderLoaders(services.orders),
      ...createActivationFileLoaders(services.files),
      ...createRequestLoaders(services.requests),
      ...createWebhookLoaders(services.webhooks),
    },
  };
}
