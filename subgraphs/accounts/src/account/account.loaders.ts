import type DataLoader from 'dataloader';
import { loaderById } from '../loader-helpers.js';
import { type Account } from './account.entity.js';
import { type AccountService } from './account.service.js';

export interface AccountLoaders {
  account: DataLoader<string, Account | null>;
}

export function createAccountLoaders(service: AccountService): AccountLoaders {
  return {
    account: loaderById(
      (ids) => service.byIds(ids),
      (a) => a.id,
    ),
  };
}
