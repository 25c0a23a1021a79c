import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Account } from '../account/account.entity.js';
import { expandOrderLine } from '../part/expand.js';
import { type Context } from '../context.js';
import { LicenseKeyQuantity } from '../granted-key.types.js';
import { SalesOrder, SalesOrderLine } from './sales-order.entity.js';
import { CreateSalesOrderInput, UpgradeSoftwareInput } from './sales-order.inputs.js';
import { type PartService } from '../part/part.service.js';
import { SalesOrderService } from './sales-order.service.js';

@Resolver(() => SalesOrder)
export class SalesOrderResolver {
  constructor(private readonly service: SalesOrderService) {}

  @Query(() => SalesOrder, {
    description: 'One sales order, or null when it does not exist or the caller may not see it',
    nullable: true,
  })
  async salesOrder(
    @Arg('id', () => ID, { description: 'The sales order' }) id: string,
    @Ctx() ctx: Context,
  ): Promise<SalesOrder | null> {
    const order = await ctx.loaders.order.load(id);
    if (!order) return null;
    return this.service.require(ctx.tenant, id);
  }

  @Mutation(() => SalesOrder, { description: 'Licensing team: records an order and entitles its end user' })
  createSalesOrder(
    @Arg('input', { description: 'The order and its lines' }) input: CreateSalesOrderInput,
    @Ctx() ctx: Context,
  ): Promise<SalesOrder> {
    return this.service.create(ctx.tenant, input);
  }

  @Mutation(() => SalesOrder, { description: 'Licensing team: records a maintenance renewal or lapse' })
  updateSalesOrderMaintenance(
    @Arg('id', () => ID, { description: 'The sales order to change' }) id: string,
    @Arg('maintenancePaid', { description: 'Whether maintenance is paid' }) maintenancePaid: boolean,
    @Arg('maintenancePaidUntil', () => Date, {
      description: 'Until when maintenance is paid (null: open-ended)',
      nullable: true,
    })
    maintenancePaidUntil: Date | null,
    @Ctx() ctx: Context,
  ): Promise<SalesOrder> {
    return this.service.updateMaintenance(ctx.tenant, id, maintenancePaid, maintenancePaidUntil ?? null);
  }

  @Mutation(() => Account, {
    description: 'The Upgrade Software tab: moves ordered parts to a newer product version',
  })
  async upgradeSoftware(
    @Arg('input', { description: 'The account and the version to upgrade to' }) input: UpgradeSoftwareInput,
    @Ctx() ctx: Context,
  ): Promise<Account | null> {
    await this.service.upgradeSoftware(ctx.tenant, input);
    return ctx.loaders.account.load(input.accountId);
  }

  @FieldResolver(() => [SalesOrderLine], { description: 'The parts ordered, with quantities' })
  lines(@Root() order: SalesOrder, @Ctx() ctx: Context): Promise<SalesOrderLine[]> {
    return ctx.loaders.linesByOrder.load(order.id);
  }

  @FieldResolver(() => Account, {
    description: 'The account that uses what is ordered (null when the caller may not see it)',
    nullable: true,
  })
  async endUserAccount(@Root() order: SalesOrder, @Ctx() ctx: Context): Promise<Account | null> {
    return (await ctx.tenant.canAccess(order.endUserAccountId))
      ? ctx.loaders.account.load(order.endUserAccountId)
      : null;
  }

  @FieldResolver(() => Account, {
    nullable: true,
    description: 'Null when the caller may not see that account',
  })
  async soldToAccount(@Root() order: SalesOrder, @Ctx() ctx: Context): Promise<Account | null> {
    return (await ctx.tenant.canAccess(order.soldToAccountId))
      ? ctx.loaders.account.load(order.soldToAccountId)
      : null;
  }
}

@Resolver(() => SalesOrderLine)
export class SalesOrderLineResolver {
  constructor(private readonly parts: PartService) {}

  @FieldResolver(() => String, { description: 'The part description from the catalogue' })
  description(@Root() line: SalesOrderLine): string {
    return this.parts.catalog.find(line.partNumber)?.description ?? line.partNumber;
  }

  @FieldResolver(() => [LicenseKeyQuantity], {
    description: 'The keys the line grants (docs/domain.md part table)',
  })
  keys(@Root() line: SalesOrderLine): LicenseKeyQuantity[] {
    return expandOrderLine(
      line.partNumber,
      line.assignedQuantity,
      line.pooledQuantity,
      this.parts.catalog.parts,
    );
  }
}
