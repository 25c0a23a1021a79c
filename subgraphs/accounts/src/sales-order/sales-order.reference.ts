import { type ReferenceResolver, requirePrincipal, tenantCheckedReference } from '@lic/shared';
import { type Context } from '../context.js';
import { type SalesOrder } from './sales-order.entity.js';
import { type SalesOrderService } from './sales-order.service.js';

/** `SalesOrder` references: UNAUTHENTICATED without a token, null for an order the caller may not see. */
export function salesOrderReferenceResolver(orders: SalesOrderService): ReferenceResolver {
  return tenantCheckedReference(
    async (reference: { id: string }, ctx: Context): Promise<SalesOrder | null> => {
      requirePrincipal(ctx.principal);
      const order = await ctx.loaders.order.load(reference.id);
      if (!order || !(await orders.visible(ctx.tenant, order))) return null;
      return order;
    },
  );
}
