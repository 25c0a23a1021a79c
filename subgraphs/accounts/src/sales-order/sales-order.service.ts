import { randomUUID } from 'node:crypto';
import { Brackets, In, type EntityManager } from 'typeorm';
import {
  type Clock,
  DomainError,
  ErrorCode,
  Topics,
  badInput,
  canSeeAccount,
  forbidden,
  parseInput,
  recordEvent,
  type Database,
} from '@lic/shared';
import { Account, AccountKind } from '../account/account.entity.js';
import { type TenantScope } from '../access/tenant-scope.js';
import { releaseRank, maintenancePaid } from '../activation-file/rules.js';
import { PartKind } from '../part/part-catalog.js';
import { type Catalog } from '../part/catalog.js';
import { formatNumber, lockAccount, nextNumber } from '../sequence.js';
import { OrderedItem, SalesOrder, SalesOrderLine } from './sales-order.entity.js';
import {
  type CreateSalesOrder,
  type OrderLineInput,
  type UpgradeSoftware,
  createSalesOrderSchema,
  upgradeSoftwareSchema,
} from './sales-order.inputs.js';

/**
 * The end of paid maintenance, which must lie ahead: maintenance paid until a day already gone is
 * a lapse, recorded as maintenancePaid: false, not a renewal.
 */
function maintenanceEnd(paidUntil: Date, now: Date): Date {
  if (paidUntil.getTime() <= now.getTime()) {
    throw badInput(
      'maintenancePaidUntil must be in the future (a lapsed maintenance is maintenancePaid: false)',
      'maintenancePaidUntil',
    );
  }
  return paidUntil;
}

export class SalesOrderService {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    private readonly catalog: () => Catalog,
  ) {}

  async byIds(ids: readonly string[]): Promise<SalesOrder[]> {
    if (ids.length === 0) return [];
    return this.database.dataSource.getRepository(SalesOrder).findBy({ id: In([...ids]) });
  }

  /** Orders where the accounts are end user or sold-to, oldest first. */
  async byAccountIds(accountIds: readonly string[]): Promise<SalesOrder[]> {
    if (accountIds.length === 0) return [];
    const ids = [...accountIds];
    return this.database.dataSource
      .getRepository(SalesOrder)
      .createQueryBuilder('o')
      .where(
        new Brackets((w) =>
          w
            .where('o.end_user_account_id IN (:...ids)', { ids })
            .orWhere('o.sold_to_account_id IN (:...ids)', { ids }),
        ),
      )
      .orderBy('o.created_at', 'ASC')
      .addOrderBy('o.order_number', 'ASC')
      .getMany();
  }

  async linesByOrderIds(orderIds: readonly string[]): Promise<SalesOrderLine[]> {
    if (orderIds.length === 0) return [];
    return this.database.dataSource
      .getRepository(SalesOrderLine)
      .find({ where: { orderId: In([...orderIds]) }, order: { orderId: 'ASC', lineNo: 'ASC' } });
  }

  async orderedItemsByAccountIds(accountIds: readonly string[]): Promise<OrderedItem[]> {
    if (accountIds.length === 0) return [];
    return this.database.dataSource.getRepository(OrderedItem).findBy({ accountId: In([...accountIds]) });
  }

  /** The end users of the orders a partner was invoiced for: the accounts the partner may manage. */
  soldToAccountIds(
    partnerAccountId: string,
    manager: EntityManager = this.database.dataSource.manager,
  ): Promise<string[]> {
    return customersOf(manager, partnerAccountId);
  }

  /**
   * Announces every partner's customers (the whole relation) through the outbox: run at start, so
   * a subgraph that starts with an empty copy (a new deployment, event streams lost beyond the
   * outbox's retention) converges. Each announcement replaces the partner's set where it lands.
   */
  async announcePartnerCustomers(): Promise<number> {
    const result = await this.database.transaction(async (manager) => {
      const rows = (await manager
        .getRepository(SalesOrder)
        .createQueryBuilder('o')
        .select('o.sold_to_account_id', 'partnerAccountId')
        .addSelect('o.end_user_account_id', 'customerAccountId')
        .where('o.sold_to_account_id <> o.end_user_account_id')
        .distinct(true)
        .getRawMany()) as Array<{ partnerAccountId: string; customerAccountId: string }>;
      const byPartner = new Map<string, string[]>();
      for (const r of rows) {
        const customers = byPartner.get(r.partnerAccountId) ?? [];
        customers.push(r.customerAccountId);
        byPartner.set(r.partnerAccountId, customers);
      }
      for (const [partnerAccountId, customers] of byPartner) {
        await this.recordPartnerCustomers(manager, partnerAccountId, customers.sort());
      }
      return byPartner.size;
    });
    return result;
  }

  private async recordPartnerCustomers(
    manager: EntityManager,
    partnerAccountId: string,
    customerAccountIds: string[],
  ): Promise<void> {
    await recordEvent(manager, this.clock, Topics.PartnerCustomersChanged, {
      partnerAccountId,
      customerAccountIds,
      asOf: this.clock.now().toISOString(),
    });
  }

  /** Orders of which the account is the end user (they entitle it), through the caller's manager. */
  ordersOf(manager: EntityManager, accountId: string): Promise<SalesOrder[]> {
    return manager.find(SalesOrder, { where: { endUserAccountId: accountId }, order: { createdAt: 'ASC' } });
  }

  async require(scope: TenantScope, id: string): Promise<SalesOrder> {
    const order = await this.database.dataSource.getRepository(SalesOrder).findOneBy({ id });
    if (!order)
      throw new DomainError(ErrorCode.NOT_FOUND, `Sales order ${id} was not found`, {
        entity: 'SalesOrder',
        id,
      });
    if (!(await this.visible(scope, order))) throw forbidden('This sales order belongs to another tenant');
    return order;
  }

  /** The end user sees its orders; a partner those it sold (not another partner's sale to the same customer). */
  async visible(scope: TenantScope, order: SalesOrder): Promise<boolean> {
    const p = scope.caller;
    if (scope.isAdmin) return true;
    if (scope.isPartner && p.accountId)
      return order.soldToAccountId === p.accountId || order.endUserAccountId === p.accountId;
    return canSeeAccount(p, order.endUserAccountId) || canSeeAccount(p, order.soldToAccountId);
  }

  async create(scope: TenantScope, input: CreateSalesOrder): Promise<SalesOrder> {
    const principal = scope.requireRole('LICENSING_ADMIN');
    const catalog = this.catalog();
    const order = parseInput(createSalesOrderSchema, input);
    const { orderNumber, productVersion } = order;
    const paid = order.maintenancePaid ?? false;
    const paidUntil = order.maintenancePaidUntil
      ? maintenanceEnd(order.maintenancePaidUntil, this.clock.now())
      : null;
    if (paidUntil && !paid)
      throw badInput('maintenancePaidUntil needs maintenancePaid: true', 'maintenancePaidUntil');
    const rampDate = order.rampDate ?? null;
    const grace = order.gracePeriodDays ?? null;
    const lines = this.validateLines(order.lines, catalog);

    const result = await this.database.transaction(async (manager) => {
      const endUser = await manager.findOneBy(Account, { id: input.endUserAccountId });
      if (!endUser) throw badInput(`No account ${input.endUserAccountId}`, 'endUserAccountId');
      const soldToId = input.soldToAccountId ?? endUser.id;
      const soldTo = soldToId === endUser.id ? endUser : await manager.findOneBy(Account, { id: soldToId });
      if (!soldTo) throw badInput(`No account ${soldToId}`, 'soldToAccountId');
      if (soldTo.id !== endUser.id && soldTo.kind !== AccountKind.PARTNER) {
        throw badInput(
          'The sold-to account must be a partner, or the end user itself for a direct sale',
          'soldToAccountId',
        );
      }
      const number = orderNumber ?? formatNumber('SO', await nextNumber(manager, 'sales_order'));
      if (await manager.existsBy(SalesOrder, { orderNumber: number })) {
        throw badInput(`Order number ${number} is already used`, 'orderNumber');
      }
      const now = this.clock.now();
      const order = manager.create(SalesOrder, {
        id: randomUUID(),
        orderNumber: number,
        endUserAccountId: endUser.id,
        soldToAccountId: soldTo.id,
        licenseModel: input.licenseModel,
        productVersion,
        maintenancePaid: paid,
        maintenancePaidUntil: paidUntil,
        mirroring: input.mirroring ?? false,
        rampDate,
        gracePeriodDays: grace,
        createdAt: now,
        createdBy: principal.sub,
      });
      await manager.insert(SalesOrder, order);
      await manager.insert(
        SalesOrderLine,
        lines.map((line, i) => ({ id: randomUUID(), orderId: order.id, lineNo: i + 1, ...line })),
      );
      await this.entitle(manager, order, lines, now);
      // A partner's sale: the other subgraphs learn the partner's customers (the whole set).
      if (soldTo.id !== endUser.id)
        await this.recordPartnerCustomers(manager, soldTo.id, await customersOf(manager, soldTo.id));
      return order;
    });
    return result;
  }

  /** The lines' parts against the catalog (their count and quantities the schema checked). */
  private validateLines(input: readonly OrderLineInput[], catalog: Catalog): OrderLineInput[] {
    const seen = new Set<string>();
    return input.map((line, i) => {
      const path = `lines.${i}`;
      const part = catalog.find(line.partNumber);
      if (!part) throw badInput(`Unknown part number ${line.partNumber}`, `${path}.partNumber`);
      if (seen.has(part.partNumber))
        throw badInput(`${part.partNumber} appears on two lines: combine them`, `${path}.partNumber`);
      seen.add(part.partNumber);
      const assigned = line.assignedQuantity;
      const pooled = line.pooledQuantity;
      if (pooled > 0 && part.kind !== PartKind.ACCESS && part.kind !== PartKind.ADDON) {
        throw badInput(
          `${part.partNumber} is a ${part.kind} part: only access and add-on licences can be pooled`,
          `${path}.pooledQuantity`,
        );
      }
      if (assigned + pooled === 0)
        throw badInput(`The line for ${part.partNumber} orders nothing`, `${path}.assignedQuantity`);
      return { partNumber: part.partNumber, assignedQuantity: assigned, pooledQuantity: pooled };
    });
  }

  /** Adds the order's quantities to the end user's entitlement (one row per part and licence model). */
  private async entitle(
    manager: EntityManager,
    order: SalesOrder,
    lines: readonly OrderLineInput[],
    now: Date,
  ): Promise<void> {
    await lockAccount(manager, order.endUserAccountId);
    const existing = await manager.findBy(OrderedItem, {
      accountId: order.endUserAccountId,
      licenseModel: order.licenseModel,
      partNumber: In(lines.map((l) => l.partNumber)),
    });
    const byPart = new Map(existing.map((item) => [item.partNumber, item]));
    for (const line of lines) {
      const item = byPart.get(line.partNumber);
      if (!item) {
        await manager.insert(OrderedItem, {
          id: randomUUID(),
          accountId: order.endUserAccountId,
          licenseModel: order.licenseModel,
          partNumber: line.partNumber,
          assignedOrdered: line.assignedQuantity,
          pooledOrdered: line.pooledQuantity,
          assignedUsed: 0,
          pooledUsed: 0,
          devUsed: 0,
          productVersion: order.productVersion,
          updatedAt: now,
        });
        continue;
      }
      const version = newerVersion(item.productVersion, order.productVersion);
      await manager
        .createQueryBuilder()
        .update(OrderedItem)
        .set({
          assignedOrdered: () => 'assigned_ordered + :assigned',
          pooledOrdered: () => 'pooled_ordered + :pooled',
          productVersion: version,
          updatedAt: now,
        })
        .where('id = :id', { id: item.id })
        .setParameters({ assigned: line.assignedQuantity, pooled: line.pooledQuantity })
        .execute();
    }
  }

  async updateMaintenance(
    scope: TenantScope,
    id: string,
    paid: boolean,
    paidUntil: Date | null,
  ): Promise<SalesOrder> {
    scope.requireRole('LICENSING_ADMIN');
    if (paidUntil) maintenanceEnd(paidUntil, this.clock.now());
    if (paidUntil && !paid)
      throw badInput('maintenancePaidUntil needs maintenancePaid: true', 'maintenancePaidUntil');
    const repo = this.database.dataSource.getRepository(SalesOrder);
    const order = await repo.findOneBy({ id });
    if (!order)
      throw new DomainError(ErrorCode.NOT_FOUND, `Sales order ${id} was not found`, {
        entity: 'SalesOrder',
        id,
      });
    await repo.update({ id }, { maintenancePaid: paid, maintenancePaidUntil: paid ? paidUntil : null });
    return repo.findOneByOrFail({ id });
  }

  /**
   * Moves ordered parts that have an upgrade option to a newer product version. Upgrades are part of
   * maintenance; where the account's orders offer mirroring, every product with an upgrade option
   * must move together.
   */
  async upgradeSoftware(scope: TenantScope, input: UpgradeSoftware): Promise<void> {
    const principal = scope.requireRole('LICENSING_ADMIN', 'CUSTOMER_ADMIN', 'PARTNER');
    await scope.assertAccess(input.accountId);
    if (!principal.certified) {
      throw new DomainError(
        ErrorCode.CERTIFICATION_REQUIRED,
        'Only a person with a current CIC Core Technology Certification can upgrade software',
      );
    }
    parseInput(upgradeSoftwareSchema, input);
    // The schema refused a version releaseRank does not know.
    const target = releaseRank(input.productVersion) ?? 0;
    const catalog = this.catalog();
    await this.database.transaction(async (manager) => {
      await lockAccount(manager, input.accountId);
      const orders = await this.ordersOf(manager, input.accountId);
      if (!maintenancePaid(orders, this.clock.now())) {
        throw badInput('Software upgrades need paid maintenance on this account', 'accountId');
      }
      const items = await manager.findBy(OrderedItem, { accountId: input.accountId });
      const upgradeable = items.filter((item) => catalog.find(item.partNumber)?.hasUpgradeOption);
      const chosen = new Set<string>();
      input.partNumbers.forEach((partNumber, i) => {
        const field = `partNumbers.${i}`;
        if (chosen.has(partNumber)) throw badInput(`${partNumber} is listed twice`, field);
        const rows = upgradeable.filter((item) => item.partNumber === partNumber);
        if (rows.length === 0) {
          const ordered = items.some((item) => item.partNumber === partNumber);
          throw badInput(
            ordered ? `${partNumber} has no upgrade option` : `${partNumber} was not ordered by this account`,
            field,
          );
        }
        if (
          rows.every(
            (item) => item.productVersion !== null && (releaseRank(item.productVersion) ?? 0) >= target,
          )
        ) {
          throw badInput(`${partNumber} is already at ${input.productVersion} or later`, field);
        }
        chosen.add(partNumber);
      });
      if (orders.some((o) => o.mirroring)) {
        const left = [
          ...new Set(
            upgradeable
              .filter((item) => !chosen.has(item.partNumber))
              .filter(
                (item) => item.productVersion === null || (releaseRank(item.productVersion) ?? 0) < target,
              )
              .map((item) => item.partNumber),
          ),
        ];
        if (left.length > 0) {
          throw badInput(
            `Mirroring is available on this account: every product with an upgrade option is upgraded together (add ${left.join(', ')})`,
            'partNumbers',
          );
        }
      }
      await manager
        .createQueryBuilder()
        .update(OrderedItem)
        .set({ productVersion: input.productVersion, updatedAt: this.clock.now() })
        .where('account_id = :accountId', { accountId: input.accountId })
        .andWhere('part_number IN (:...parts)', { parts: [...chosen] })
        .execute();
    });
  }
}

/** The end users of a partner's orders, but the partner itself (a direct sale to it). */
async function customersOf(manager: EntityManager, partnerAccountId: string): Promise<string[]> {
  const rows = (await manager
    .getRepository(SalesOrder)
    .createQueryBuilder('o')
    .select('DISTINCT o.end_user_account_id', 'accountId')
    .where('o.sold_to_account_id = :partnerAccountId', { partnerAccountId })
    .andWhere('o.end_user_account_id <> :partnerAccountId', { partnerAccountId })
    .orderBy('o.end_user_account_id', 'ASC')
    .getRawMany()) as Array<{ accountId: string }>;
  return rows.map((r) => r.accountId);
}

/** An entitlement never shrinks: no version (any version) wins, else the later release. */
function newerVersion(a: string | null, b: string | null): string | null {
  if (a === null || b === null) return null;
  return (releaseRank(b) ?? 0) > (releaseRank(a) ?? 0) ? b : a;
}
