import { type PageBounds } from '@lic/shared';
import { type Clock, type Principal, type SoldToLookup, TenantScope } from '@lic/shared';
import { type BillingAccountService } from './account/billing-account.service.js';
import { type UsageFileService } from './usage-file/usage-file.service.js';
import { createLoaders, type Loaders } from './loaders.js';
import { type UsageReportService } from './report/usage-report.service.js';
import { type TrackingService } from './tracking/tracking.service.js';
import { type UsageDeriver } from './usage/usage-deriver.js';
import { type UsageIngest } from './usage/usage-ingest.service.js';
import { type UsageSessionService } from './usage/usage-session.service.js';

export interface Services {
  /** Page sizes of connections (config `pagination`); the defaults when absent. */
  pageBounds?: PageBounds;
  clock: Clock;
  accounts: BillingAccountService;
  tracking: TrackingService;
  ingest: UsageIngest;
  deriver: UsageDeriver;
  sessions: UsageSessionService;
  reports: UsageReportService;
  files: UsageFileService;
  /** A partner's customers, from this subgraph's copy of the relation (`partner_customer`). */
  partners: SoldToLookup;
}

/**
 * Per request: who is calling, their tenant scope and fresh DataLoaders (never shared between
 * requests). Services are not here: each resolver is constructed with the ones it uses (schema.ts).
 */
export interface Context {
  principal: Principal | undefined;
  /** The tenant-access policy for this request, with a partner's customers looked up once, lazily (a per-request cache, like a loader). */
  tenant: TenantScope;
  loaders: Loaders;
}

/** Builds a request's context from the services (its loaders read through them) and the caller. */
export function createContext(services: Services, principal: Principal | undefined): Context {
  return {
    principal,
    tenant: new TenantScope(principal, services.partners),
    loaders: createLoaders(services),
  };
}
