import { type Principal } from '@lic/shared';
import { createEnforcementLoaders, type EnforcementLoaders } from './status/enforcement.loaders.js';
import { type EnforcementService } from './status/enforcement.service.js';

export interface Services {
  enforcement: EnforcementService;
}

export interface Context {
  principal: Principal | undefined;
  services: Services;
  loaders: EnforcementLoaders;
}

export function createContext(services: Services, principal: Principal | undefined): Context {
  return { principal, services, loaders: createEnforcementLoaders(services.enforcement) };
}
