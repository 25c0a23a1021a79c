import { requirePrincipal, tenantCheckedReference } from '@lic/shared';
import { canReadServer } from '../server/access.js';
import { type Context } from '../context.js';
import { type CicUser } from './user.entity.js';
import { type Station } from '../station/station.entity.js';

/** `CicUser` references from other subgraphs (billing's usage sessions), batched and tenant-scoped. */
export const resolveUserReference = tenantCheckedReference(
  async (reference: { id: string }, context: Context): Promise<CicUser | null> => {
    requirePrincipal(context.principal);
    const user = await context.loaders.user.load(reference.id);
    if (!user) return null;
    const server = await context.loaders.server.load(user.serverId);
    return server &&
      canReadServer(context.principal, server, await context.tenant.soldToFor(server.accountId))
      ? user
      : null;
  },
);

export const resolveStationReference = tenantCheckedReference(
  async (reference: { id: string }, context: Context): Promise<Station | null> => {
    requirePrincipal(context.principal);
    const station = await context.loaders.station.load(reference.id);
    if (!station) return null;
    const server = await context.loaders.server.load(station.serverId);
    return server &&
      canReadServer(context.principal, server, await context.tenant.soldToFor(server.accountId))
      ? station
      : null;
  },
);
