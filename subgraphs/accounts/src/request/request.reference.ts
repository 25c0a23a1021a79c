import { type ReferenceResolver, requirePrincipal, tenantCheckedReference } from '@lic/shared';
import { type Context } from '../context.js';
import { type ActivationFileRequest } from './request.entity.js';
import { type ActivationFileRequestService } from './request.service.js';

/** `ActivationFileRequest` references: UNAUTHENTICATED without a token, null for a request the caller may not see. */
export function requestReferenceResolver(requests: ActivationFileRequestService): ReferenceResolver {
  return tenantCheckedReference(
    async (reference: { id: string }, ctx: Context): Promise<ActivationFileRequest | null> => {
      requirePrincipal(ctx.principal);
      const request = await ctx.loaders.request.load(reference.id);
      if (!request || !(await requests.canSee(ctx.tenant, request))) return null;
      return request;
    },
  );
}
