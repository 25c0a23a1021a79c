import { requirePrincipal, tenantCheckedReference } from '@lic/shared';
import { type Context } from '../context.js';
import { type Server } from './server.entity.js';

/** `Server` references: UNAUTHENTICATED without a token, null for a server the caller may not see. */
export const resolveServerReference = tenantCheckedReference(
  async (reference: { id: string }, context: Context): Promise<Server | null> => {
    requirePrincipal(context.principal);
    const server = await context.loaders.server.load(reference.id);
    return server && (await context.tenant.canSeeServer(server)) ? server : null;
  },
);
