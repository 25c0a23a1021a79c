import DataLoader from 'dataloader';
import { type Account } from './account.entity.js';
import { type AccountService } from './account.service.js';

export interface AccountLoaders {
  account: DataLoader<string, Account | null>;
}

export function createAccountLoaders(service: AccountService): AccountLoaders {
  return {
    account: new DataLoader(async (ids) => {
      const rows = await service.byIds(ids);
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}
