import {
  type LivePubSub,
  type PageBounds,
  type Principal,
  type SoldToLookup,
  TenantScope,
} from '@lic/shared';
import { type CheckInService } from './checkin/check-in.service.js';
import { type DemoClock } from './rules/demo-clock.js';
import { type StandingService } from './standing/standing.service.js';
import { createEnforcementLoaders, type EnforcementLoaders } from './status/enforcement.loaders.js';
import { type EnforcementService } from './status/enforcement.service.js';

export interface Services {
  /** Page sizes of connections (config `pagination`); the defaults when absent. */
  pageBounds?: PageBounds;
  enforcement: EnforcementService;
  checkIns: CheckInService;
  standing: StandingService;
  /** Live stage changes for `enforcementStageChanged` (in-process, or Redis across replicas). */
  live: LivePubSub;
  /** A partner's customers, from this subgraph's copy of the relation (`partner_customer`). */
  partners: SoldToLookup;
  /** The demo accounts' fast enforcement clock (real time for every other account); real time when absent. */
  demoClock?: DemoClock;
}

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
  loaders: EnforcementLoaders;
}

/** Builds a request's context from the services (its loaders read through them) and the caller. */
export function createContext(services: Services, principal: Principal | undefined): Context {
  return {
    principal,
    tenant: new TenantScope(principal, services.partners),
    loaders: createEnforcementLoaders(services.enforcement, services.checkIns, services.standing),
  };
}
