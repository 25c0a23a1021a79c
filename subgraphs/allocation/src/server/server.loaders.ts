import DataLoader from 'dataloader';
import { type Server } from './server.entity.js';
import { type ServerService } from './server.service.js';

export interface ServerLoaders {
  server: DataLoader<string, Server | null>;
  serversByAccount: DataLoader<string, Server[]>;
}

export function createServerLoaders(service: ServerService): ServerLoaders {
  return {
    server: new DataLoader(async (ids) => {
      const byId = new Map((await service.byIds(ids)).map((s) => [s.id, s]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    serversByAccount: new DataLoader(async (accountIds) => {
      const rows = await service.byAccountIds(accountIds);
      return accountIds.map((id) => rows.filter((s) => s.accountId === id));
    }),
  };
}
