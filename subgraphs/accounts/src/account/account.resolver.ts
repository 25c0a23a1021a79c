import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import {
  type Clock,
  type Connection,
  ConnectionType,
  PageArguments,
  type PageBounds,
  hasRole,
} from '@lic/shared';
import { ActivationFile } from '../activation-file/activation-file.entity.js';
import { type Context } from '../context.js';
import { InstallSite } from '../install-site/install-site.entity.js';
import { ActiveFilter } from '../licensing-types.js';
import { type PartService } from '../part/part.service.js';
import { SalesOrder } from '../sales-order/sales-order.entity.js';
import { type SalesOrderService } from '../sales-order/sales-order.service.js';
import { summaryLines } from '../sales-order/summary.js';
import { AccountSummaryLine } from '../sales-order/summary.types.js';
import { Account } from './account.entity.js';
import { CreateAccountInput } from './account.inputs.js';
import { AccountService } from './account.service.js';
import { softwareDetails, softwareUpgrades } from './software.js';
import { SoftwareDetails, SoftwareUpgrades } from './software.types.js';

export const AccountConnection = ConnectionType(Account, 'Account', 'account');

@Resolver(() => Account)
export class AccountResolver {
  constructor(
    private readonly service: AccountService,
    private readonly orders: SalesOrderService,
    private readonly parts: PartService,
    private readonly clock: Clock,
    /** Page sizes of connections (config `pagination`); the defaults when absent. */
    private readonly pageBounds: PageBounds | undefined,
  ) {}

  @Query(() => Account, {
    description: 'One account, or null when it does not exist or the caller may not see it',
    nullable: true,
  })
  account(
    @Arg('id', () => ID, { description: 'The account' }) id: string,
    @Ctx() ctx: Context,
  ): Promise<Account | null> {
    return this.service.get(ctx.tenant, id);
  }

  @Query(() => AccountConnection, {
    description:
      'A page of the accounts the caller may see (a partner: its own and those it sold to), by name',
  })
  accountsConnection(
    @Args(() => PageArguments) page: PageArguments,
    @Ctx() ctx: Context,
  ): Promise<Connection<Account>> {
    return this.service.page(ctx.tenant, page, this.pageBounds);
  }

  @Query(() => [Account], {
    description: 'Every account the caller may see (a partner: its own and those it sold to)',
    deprecationReason: 'Use accountsConnection; removed after one release',
  })
  accounts(@Ctx() ctx: Context): Promise<Account[]> {
    return this.service.visibleTo(ctx.tenant);
  }

  @Mutation(() => Account, { description: 'Licensing team: creates an account' })
  createAccount(
    @Arg('input', { description: 'The new account' }) input: CreateAccountInput,
    @Ctx() ctx: Context,
  ): Promise<Account> {
    return this.service.create(ctx.principal, input);
  }

  @FieldResolver(() => [InstallSite], {
    description: "The account's install sites (the places its servers run)",
  })
  async installSites(
    @Root() account: Account,
    @Ctx() ctx: Context,
    @Arg('includeInactive', { description: 'Include deactivated sites (default true)', defaultValue: true })
    includeInactive: boolean,
  ): Promise<InstallSite[]> {
    if (!(await ctx.tenant.canAccess(account.id))) return [];
    const sites = await ctx.loaders.sitesByAccount.load(account.id);
    return includeInactive ? sites : sites.filter((s) => s.active);
  }

  @FieldResolver(() => [SalesOrder], { description: 'Orders of which the account is end user or sold-to' })
  async salesOrders(@Root() account: Account, @Ctx() ctx: Context): Promise<SalesOrder[]> {
    if (!(await ctx.tenant.canAccess(account.id))) return [];
    const orders = await ctx.loaders.ordersByAccount.load(account.id);
    const visible = await Promise.all(orders.map((o) => this.orders.visible(ctx.tenant, o)));
    return orders.filter((_o, i) => visible[i]);
  }

  @FieldResolver(() => [AccountSummaryLine], {
    description: 'Every ordered item: ordered, used (active files), remaining',
  })
  async summary(@Root() account: Account, @Ctx() ctx: Context): Promise<AccountSummaryLine[]> {
    if (!(await ctx.tenant.canAccess(account.id))) return [];
    return summaryLines(await ctx.loaders.orderedItemsByAccount.load(account.id), this.parts.catalog);
  }

  @FieldResolver(() => SoftwareDetails, {
    description:
      "Whether the caller may generate and download this account's activation files, and why not (null when the caller may not see it)",
    nullable: true,
  })
  async softwareDetails(@Root() account: Account, @Ctx() ctx: Context): Promise<SoftwareDetails | null> {
    if (!(await ctx.tenant.canAccess(account.id))) return null;
    const [orders, items, files] = await Promise.all([
      ctx.loaders.ordersByAccount.load(account.id),
      ctx.loaders.orderedItemsByAccount.load(account.id),
      ctx.loaders.filesByAccount.load(account.id),
    ]);
    const p = ctx.tenant.caller;
    return softwareDetails(
      orders.filter((o) => o.endUserAccountId === account.id),
      items,
      files.filter((f) => f.active).length,
      {
        certified: p.certified,
        admin: ctx.tenant.isAdmin,
        mayManage: hasRole(p, 'LICENSING_ADMIN', 'CUSTOMER_ADMIN', 'PARTNER'),
      },
      this.clock.now(),
    );
  }

  @FieldResolver(() => SoftwareUpgrades, {
    description:
      "The account's ordered software, with and without an upgrade option (needs paid maintenance)",
    nullable: true,
  })
  async softwareUpgrades(@Root() account: Account, @Ctx() ctx: Context): Promise<SoftwareUpgrades | null> {
    if (!(await ctx.tenant.canAccess(account.id))) return null;
    const [orders, items] = await Promise.all([
      ctx.loaders.ordersByAccount.load(account.id),
      ctx.loaders.orderedItemsByAccount.load(account.id),
    ]);
    return softwareUpgrades(
      orders.filter((o) => o.endUserAccountId === account.id),
      items,
      this.parts.catalog,
      this.clock.now(),
    );
  }

  @FieldResolver(() => [ActivationFile], { description: "The account's activation files, newest first" })
  async activationFiles(
    @Root() account: Account,
    @Ctx() ctx: Context,
    @Arg('active', () => ActiveFilter, {
      description: 'Which files: YES active only, NO inactive only, ALL both (default)',
      defaultValue: ActiveFilter.ALL,
    })
    active: ActiveFilter,
  ): Promise<ActivationFile[]> {
    if (!(await ctx.tenant.canAccess(account.id))) return [];
    const files = await ctx.loaders.filesByAccount.load(account.id);
    return active === ActiveFilter.ALL
      ? files
      : files.filter((f) => f.active === (active === ActiveFilter.YES));
  }
}
