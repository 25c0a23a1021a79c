import { tenantCheckedReference } from '@lic/shared';
import { type Context } from '../context.js';
import { type Account } from './account.entity.js';

/** Resolves `Account` references from other subgraphs, batched, and only for visible accounts. */
export const resolveAccountReference = tenantCheckedReference(
  async (reference: { id: string }, context: Context): Promise<Account | null> => {
    if (!(await context.tenant.canAccess(reference.id))) return null;
    return context.loaders.account.load(reference.id);
  },
);
