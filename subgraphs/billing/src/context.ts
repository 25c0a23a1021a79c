import { type Principal } from '@lic/shared';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Services {}

export interface Context {
  principal: Principal | undefined;
  services: Services;
}

export function createContext(services: Services, principal: Principal | undefined): Context {
  return { principal, services };
}
