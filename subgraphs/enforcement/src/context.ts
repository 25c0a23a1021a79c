import { type PageBounds } from '@lic/shared';
import { type LivePubSub, type Principal } from '@lic/shared';
import { type CheckInService } from './checkin/check-in.service.js';
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
}

export interface Context {
  principal: Principal | undefined;
  services: Services;
  loaders: EnforcementLoaders;
}

export function createContext(services: Services, principal: Principal | undefined): Context {
  return {
    principal,
    services,
    loaders: createEnforcementLoaders(services.enforcement, services.checkIns, services.standing),
  };
}
