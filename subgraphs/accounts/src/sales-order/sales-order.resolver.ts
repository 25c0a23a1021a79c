import {
  Arg,
  Ctx,
  Field,
  FieldResolver,
  ID,
  InputType,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import { type LicenseModel } from '@lic/shared';
import { Account } from '../account/account.entity.js';
import { expandOrderLine } from '../catalog/index.js';
import { type Context } from '../context.js';
import { LicenseKeyQuantity, LicenseModelEnum } from '../licensing-types.js';
import { SalesOrder, SalesOrderLine } from './sales-order.entity.js';
import { SalesOrderService } from './sales-order.service.js';

@InputType()
export class SalesOrderLineInput {
  @Field()
  partNumber!: string;

  @Field(() => Int)
  assignedQuantity!: number;

  @Field(() => Int, { defaultValue: 0 })
  pooledQuantity!: number;
}

@InputType()
export class CreateSalesOrderInput {
  @Field(() => String, { nullable: true, description: 'Default: the next SO-nnnnnn' })
  orderNumber?: string | null;

  @Field(() => ID)
  endUserAccountId!: string;

  @Field(() => ID, {
    nullable: true,
    description: 'Who was invoiced: a partner; default the end user (a direct sale)',
  })
  soldToAccountId?: string | null;

  @Field(() => LicenseModelEnum)
  licenseModel!: LicenseModel;

  @Field(() => String, {
    nullable: true,
    description: 'The version the order entitles, e.g. "2020 R2" (default: any)',
  })
  productVersion?: string | null;

  @Field(() => Boolean, { nullable: true, defaultValue: false })
  maintenancePaid?: boolean | null;

  @Field(() => Date, { nullable: true })
  maintenancePaidUntil?: Date | null;

  @Field(() => Boolean, {
    nullable: true,
    defaultValue: false,
    description: 'Upgrades of this estate mirror',
  })
  mirroring?: boolean | null;

  @Field(() => Date, {
    nullable: true,
    description: 'Subscription with virtual cloud: the ramp date files carry',
  })
  rampDate?: Date | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Subscription with virtual cloud: the grace period files carry',
  })
  gracePeriodDays?: number | null;

  @Field(() => [SalesOrderLineInput])
  lines!: SalesOrderLineInput[];
}

@InputType()
export class UpgradeSoftwareInput {
  @Field(() => ID)
  accountId!: string;

  @Field({ description: 'The version to upgrade to, e.g. "2020 R2"' })
  productVersion!: string;

  @Field(() => [String], {
    description: 'Parts with an upgrade option (all of them where mirroring is available)',
  })
  partNumbers!: string[];
}

@Resolver(() => SalesOrder)
export class SalesOrderResolver {
  constructor(private readonly service: SalesOrderService) {}

  @Query(() => SalesOrder, { nullable: true })
  async salesOrder(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<SalesOrder | null> {
    const order = await ctx.loaders.order.load(id);
    if (!order) return null;
    return this.service.require(ctx.scope, id);
  }

  @Mutation(() => SalesOrder, { description: 'Licensing team: records an order and entitles its end user' })
  createSalesOrder(@Arg('input') input: CreateSalesOrderInput, @Ctx() ctx: Context): Promise<SalesOrder> {
    return this.service.create(ctx.scope, input);
  }

  @Mutation(() => SalesOrder, { description: 'Licensing team: records a maintenance renewal or lapse' })
  updateSalesOrderMaintenance(
    @Arg('id', () => ID) id: string,
    @Arg('maintenancePaid') maintenancePaid: boolean,
    @Arg('maintenancePaidUntil', () => Date, { nullable: true }) maintenancePaidUntil: Date | null,
    @Ctx() ctx: Context,
  ): Promise<SalesOrder> {
    return this.service.updateMaintenance(ctx.scope, id, maintenancePaid, maintenancePaidUntil ?? null);
  }

  @Mutation(() => Account, {
    description: 'The Upgrade Software tab: moves ordered parts to a newer product version',
  })
  async upgradeSoftware(
    @Arg('input') input: UpgradeSoftwareInput,
    @Ctx() ctx: Context,
  ): Promise<Account | null> {
    await this.service.upgradeSoftware(ctx.scope, input);
    return ctx.loaders.account.load(input.accountId);
  }

  @FieldResolver(() => [SalesOrderLine])
  lines(@Root() order: SalesOrder, @Ctx() ctx: Context): Promise<SalesOrderLine[]> {
    return ctx.loaders.linesByOrder.load(order.id);
  }

  @FieldResolver(() => Account, { nullable: true })
  async endUserAccount(@Root() order: SalesOrder, @Ctx() ctx: Context): Promise<Account | null> {
    return (await ctx.scope.canAccess(order.endUserAccountId))
      ? ctx.loaders.account.load(order.endUserAccountId)
      : null;
  }

  @FieldResolver(() => Account, {
    nullable: true,
    description: 'Null when the caller may not see that account',
  })
  async soldToAccount(@Root() order: SalesOrder, @Ctx() ctx: Context): Promise<Account | null> {
    return (await ctx.scope.canAccess(order.soldToAccountId))
      ? ctx.loaders.account.load(order.soldToAccountId)
      : null;
  }
}

@Resolver(() => SalesOrderLine)
export class SalesOrderLineResolver {
  @FieldResolver(() => String, { description: 'The part description from the catalogue' })
  description(@Root() line: SalesOrderLine, @Ctx() ctx: Context): string {
    return ctx.services.parts.catalog.find(line.partNumber)?.description ?? line.partNumber;
  }

  @FieldResolver(() => [LicenseKeyQuantity], {
    description: 'The keys the line grants (docs/domain.md part table)',
  })
  keys(@Root() line: SalesOrderLine, @Ctx() ctx: Context): LicenseKeyQuantity[] {
    return expandOrderLine(
      line.partNumber,
      line.assignedQuantity,
      line.pooledQuantity,
      ctx.services.parts.catalog.parts,
    );
  }
}
