import { requirePrincipal, tenantCheckedReference } from '@lic/shared';
import { type Context } from '../context.js';
import { type ActivationFileRequest } from './request.entity.js';

/** `ActivationFileRequest` references: UNAUTHENTICATED without a token, null for a request the caller may not see. */
export const resolveRequestReference = tenantCheckedReference(
  async (reference: { id: string }, ctx: Context): Promise<ActivationFileRequest | null> => {
    requirePrincipal(ctx.principal);
    const request = await ctx.loaders.request.load(reference.id);
    if (!request || !(await ctx.services.requests.canSee(ctx.scope, request))) return null;
    return request;
  },
);
