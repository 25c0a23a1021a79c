import { type Principal } from '@lic/shared';
import { createServerLoaders, type ServerLoaders } from './server/server.loaders.js';
import { type ServerService } from './server/server.service.js';

export interface Services {
  servers: ServerService;
}

export interface Context {
  principal: Principal | undefined;
  services: Services;
  loaders: ServerLoaders;
}

export function createContext(services: Services, principal: Principal | undefined): Context {
  return { principal, services, loaders: createServerLoaders(services.servers) };
}
