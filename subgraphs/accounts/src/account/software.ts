import { maintenancePaid } from '../activation-file/rules.js';
import { type Catalog } from '../part/catalog.js';
import { type OrderedItem, type SalesOrder } from '../sales-order/sales-order.entity.js';
import { SoftwareBlocker, type SoftwareDetails, type SoftwareUpgrades } from './software.types.js';

export interface Caller {
  certified: boolean;
  admin: boolean;
  mayManage: boolean;
}

export function softwareDetails(
  orders: readonly SalesOrder[],
  items: readonly OrderedItem[],
  activeFiles: number,
  caller: Caller,
  now: Date,
): SoftwareDetails {
  const models = [...new Set(orders.map((o) => o.licenseModel))].sort();
  const paid = maintenancePaid(orders, now);
  const paidOrders = orders.filter((o) => o.maintenancePaid);
  const until =
    paid && paidOrders.every((o) => o.maintenancePaidUntil !== null)
      ? new Date(Math.max(...paidOrders.map((o) => o.maintenancePaidUntil!.getTime())))
      : null;
  const blockers: SoftwareBlocker[] = [];
  const reasons: string[] = [];
  const block = (blocker: SoftwareBlocker, reason: string) => {
    blockers.push(blocker);
    reasons.push(reason);
  };
  if (orders.length === 0)
    block(SoftwareBlocker.NO_ORDERS, 'The account has no sales order: nothing to license yet');
  if (!caller.mayManage)
    block(SoftwareBlocker.ROLE_MAY_NOT_GENERATE, 'Your role may view activation files but not generate them');
  if (!caller.certified) {
    block(
      SoftwareBlocker.NOT_CERTIFIED,
      'Only a person with a current CIC Core Technology Certification can generate files',
    );
  }
  const requestOnly = models.includes('SUBSCRIPTION') || models.length > 1;
  if (requestOnly && !caller.admin) {
    block(
      SoftwareBlocker.REQUEST_REQUIRED,
      'Subscription and mixed-estate files come only through an activation file request',
    );
  }
  if (
    orders.length > 0 &&
    items.every((i) => i.assignedOrdered + i.pooledOrdered - i.assignedUsed - i.pooledUsed <= 0)
  ) {
    block(
      SoftwareBlocker.NOTHING_REMAINING,
      'Every ordered item is held by active files: deactivate one to reallocate',
    );
  }
  const mayGenerate = blockers.length === 0;
  if (activeFiles === 0)
    block(SoftwareBlocker.NO_ACTIVE_FILE, 'There is no active activation file to download');
  if (orders.length > 0 && !paid) {
    reasons.push(
      'Maintenance is not paid: files leave out I3_FEATURE_SU_ALLOWED (no updates) and software cannot be upgraded',
    );
  }
  return {
    hasOrders: orders.length > 0,
    licenseModels: models,
    mixedEstate: models.length > 1,
    maintenancePaid: paid,
    maintenancePaidUntil: until,
    certified: caller.certified,
    mayGenerate,
    mayDownload: activeFiles > 0,
    blockers,
    reasons,
  };
}

export function softwareUpgrades(
  orders: readonly SalesOrder[],
  items: readonly OrderedItem[],
  catalog: Catalog,
  now: Date,
): SoftwareUpgrades {
  const position = new Map(catalog.parts.map((p, i) => [p.partNumber, i]));
  const rows = [...items]
    .sort((a, b) => (position.get(a.partNumber) ?? 0) - (position.get(b.partNumber) ?? 0))
    .map((item) => ({
      item,
      row: {
        partNumber: item.partNumber,
        description: catalog.find(item.partNumber)?.description ?? item.partNumber,
        licenseModel: item.licenseModel,
        productVersion: item.productVersion,
        ordered: item.assignedOrdered + item.pooledOrdered,
      },
    }));
  const upgradeable = (item: OrderedItem) => catalog.find(item.partNumber)?.hasUpgradeOption ?? false;
  return {
    mirroringAvailable: orders.some((o) => o.mirroring),
    maintenancePaid: maintenancePaid(orders, now),
    withUpgradeOption: rows.filter((r) => upgradeable(r.item)).map((r) => r.row),
    withoutUpgradeOption: rows.filter((r) => !upgradeable(r.item)).map((r) => r.row),
  };
}
