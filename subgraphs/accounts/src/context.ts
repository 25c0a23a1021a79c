import { type Principal } from '@lic/shared';
import { type AccountLoaders, createAccountLoaders } from './account/account.loaders.js';
import { type AccountService } from './account/account.service.js';

export interface Services {
  accounts: AccountService;
}

/** Per request: who is calling and fresh DataLoaders (never shared between requests). */
export interface Context {
  principal: Principal | undefined;
  loaders: AccountLoaders;
}

export function createContext(services: Services, principal: Principal | undefined): Context {
  return { principal, loaders: createAccountLoaders(services.accounts) };
}
