import DataLoader from 'dataloader';
import { type EnforcementServer } from './enforcement-server.entity.js';
import { type EnforcementService } from './enforcement.service.js';

export interface EnforcementLoaders {
  server: DataLoader<string, EnforcementServer | null>;
}

export function createEnforcementLoaders(service: EnforcementService): EnforcementLoaders {
  return {
    server: new DataLoader(async (ids) => {
      const byId = new Map((await service.byIds(ids)).map((s) => [s.serverId, s]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}
