import type DataLoader from 'dataloader';
import { loaderByGroup, loaderById } from '../loader-helpers.js';
import { type OrderedItem, type SalesOrder, type SalesOrderLine } from './sales-order.entity.js';
import { type SalesOrderService } from './sales-order.service.js';

export interface SalesOrderLoaders {
  order: DataLoader<string, SalesOrder | null>;
  /** Orders in which the account is the end user or the sold-to account. */
  ordersByAccount: DataLoader<string, SalesOrder[]>;
  linesByOrder: DataLoader<string, SalesOrderLine[]>;
  orderedItemsByAccount: DataLoader<string, OrderedItem[]>;
}

export function createSalesOrderLoaders(service: SalesOrderService): SalesOrderLoaders {
  return {
    order: loaderById(
      (ids) => service.byIds(ids),
      (o) => o.id,
    ),
    ordersByAccount: loaderByGroup(
      (ids) => service.byAccountIds(ids),
      (o) => [o.endUserAccountId, o.soldToAccountId],
    ),
    linesByOrder: loaderByGroup(
      (ids) => service.linesByOrderIds(ids),
      (l) => [l.orderId],
    ),
    orderedItemsByAccount: loaderByGroup(
      (ids) => service.orderedItemsByAccountIds(ids),
      (i) => [i.accountId],
    ),
  };
}
