import { randomUUID } from 'node:crypto';
import { type Principal } from '@lic/shared';
import { describeEachDatabase } from '@lic/testing';
import { type EntityManager, type EntityTarget, type ObjectLiteral } from 'typeorm';
import { TenantScope } from '../access/tenant-scope.js';
import { ActivationFile, ActivationFileItem } from '../activation-file/activation-file.entity.js';
import { InstallSite } from '../install-site/install-site.entity.js';
import { OrderedItem, SalesOrder, SalesOrderLine } from '../sales-order/sales-order.entity.js';
import { type Harness, startAccounts } from '../../test/harness.js';
import { Account, AccountKind } from './account.entity.js';

/**
 * Every relation of the list, each DataLoader reached from one level of the tree. (A loader reached
 * from two branches batches once per tick in which it is asked, so the count could differ by one
 * with the order in which the database answers; it still would not grow with the rows.)
 */
const LIST = `{ accounts { id name garn kind
  installSites { id name activationFiles { id fileName } }
  salesOrders { id orderNumber lines { partNumber description keys { key quantity } } endUserAccount { id name } soldToAccount { id name } }
  summary { partNumber ordered used remaining }
  softwareDetails { mayGenerate mayDownload blockers }
  softwareUpgrades { withUpgradeOption { partNumber } }
  activationFiles { id fileName keys { key quantity } installSite { id name } items { partNumber taken } }
} }`;

describeEachDatabase('statement count of listing accounts', (database) => {
  let h: Harness;
  let created = 0;
  let partnerId = '';
  let template: string | undefined;
  const admin: Principal = {
    sub: 'seed',
    roles: ['LICENSING_ADMIN'],
    accountId: undefined,
    serverId: undefined,
    certified: true,
    expiresAt: undefined,
  };

  beforeAll(async () => {
    h = await startAccounts(database);
    const partner = await h.server.services.accounts.create(admin, {
      name: 'Partner',
      garn: 'GARN-SC-P',
      kind: AccountKind.PARTNER,
    });
    partnerId = partner.id;
  });
  afterAll(() => h.close());

  /** An account with a site, an order sold by the partner and an activation file, made through the services. */
  async function makeAccount(n: number): Promise<string> {
    const { services } = h.server;
    const scope = new TenantScope(admin, (id) => services.orders.soldToAccountIds(id));
    const account = await services.accounts.create(admin, {
      name: `Account ${String(n).padStart(3, '0')}`,
      garn: `GARN-SC-${n}`,
      kind: AccountKind.CUSTOMER,
    });
    const site = await services.sites.create(scope, { accountId: account.id, name: `Site ${n}` });
    await services.orders.create(scope, {
      endUserAccountId: account.id,
      soldToAccountId: partnerId,
      licenseModel: 'PERPETUAL',
      maintenancePaid: true,
      lines: [
        { partNumber: 'SW-001-4.0-AL04', assignedQuantity: 5, pooledQuantity: 25 },
        { partNumber: 'SW-003-4.0-SV01', assignedQuantity: 1, pooledQuantity: 0 },
      ],
    });
    await services.files.generate(scope, {
      installSiteId: site.id,
      product: 'PureConnect CIC',
      productVersion: '2020 R2',
      licenseType: 'PRODUCTION',
      machine: { hostId: `H-${n}`, machineName: `cic-${n}`, systemType: 'Server' },
      serverItem: 'SW-003-4.0-SV01',
      items: [{ partNumber: 'SW-001-4.0-AL04', assignedQuantity: 5, pooledQuantity: 20 }],
    });
    return account.id;
  }

  /**
   * Copies of a service-made account (every row of every relation, with fresh ids), written in bulk:
   * what is measured is the read path, and building 90 accounts one API call at a time would only
   * make the suite slower.
   */
  async function cloneAccount(templateId: string, copies: number): Promise<void> {
    await h.server.database.dataSource.transaction(async (m) => {
      const account = await m.findOneByOrFail(Account, { id: templateId });
      const sites = await m.findBy(InstallSite, { accountId: templateId });
      const orders = await m.findBy(SalesOrder, { endUserAccountId: templateId });
      const lines = await m.findBy(SalesOrderLine, { orderId: orders[0]!.id });
      const items = await m.findBy(OrderedItem, { accountId: templateId });
      const files = await m.findBy(ActivationFile, { accountId: templateId });
      const fileItems = await m.findBy(ActivationFileItem, { fileId: files[0]!.id });
      const rows = {
        accounts: [] as Account[],
        sites: [] as InstallSite[],
        orders: [] as SalesOrder[],
        lines: [] as SalesOrderLine[],
      };
      const more = {
        items: [] as OrderedItem[],
        files: [] as ActivationFile[],
        fileItems: [] as ActivationFileItem[],
      };
      for (let i = 0; i < copies; i += 1) {
        created += 1;
        const accountId = randomUUID();
        const siteId = randomUUID();
        const orderId = randomUUID();
        const fileId = randomUUID();
        rows.accounts.push({
          ...account,
          id: accountId,
          name: `Account ${String(created).padStart(3, '0')}`,
          garn: `GARN-SC-${created}`,
        });
        rows.sites.push({ ...sites[0]!, id: siteId, accountId });
        rows.orders.push({
          ...orders[0]!,
          id: orderId,
          endUserAccountId: accountId,
          orderNumber: `SO-SC-${created}`,
        });
        rows.lines.push(...lines.map((l) => ({ ...l, id: randomUUID(), orderId })));
        more.items.push(...items.map((it) => ({ ...it, id: randomUUID(), accountId })));
        more.files.push({ ...files[0]!, id: fileId, accountId, installSiteId: siteId });
        more.fileItems.push(...fileItems.map((fi) => ({ ...fi, id: randomUUID(), fileId })));
      }
      await bulk(m, Account, rows.accounts);
      await bulk(m, InstallSite, rows.sites);
      await bulk(m, SalesOrder, rows.orders);
      await bulk(m, SalesOrderLine, rows.lines);
      await bulk(m, OrderedItem, more.items);
      await bulk(m, ActivationFile, more.files);
      await bulk(m, ActivationFileItem, more.fileItems);
    });
  }

  async function grow(to: number): Promise<void> {
    while (created < Math.min(to, 10)) {
      created += 1;
      const id = await makeAccount(created);
      template ??= id;
    }
    if (created < to) await cloneAccount(template!, to - created);
  }

  /** Statements sent while answering the query; the outbox relay's polling runs beside it and is not the query's. */
  async function statementsFor(token: string): Promise<{ statements: number; accounts: number }> {
    const { result, sql } = await h.server.database.statements.measure(() =>
      h.gql<{ accounts: unknown[] }>(token, LIST),
    );
    return {
      statements: sql.filter((s) => !s.includes('outbox_event')).length,
      accounts: result.accounts.length,
    };
  }

  it('is the same for 10 and for 100 accounts with sites, orders and files', async () => {
    const partner = await h.token({ roles: ['PARTNER'], accountId: partnerId, certified: true });
    await grow(10);
    const adminTen = await statementsFor(h.admin);
    const partnerTen = await statementsFor(partner);
    await grow(100);
    const adminHundred = await statementsFor(h.admin);
    const partnerHundred = await statementsFor(partner);
    expect(adminTen.accounts).toBe(11);
    expect(adminHundred.accounts).toBe(101);
    expect(partnerHundred.accounts).toBe(101);
    expect(adminHundred.statements).toBe(adminTen.statements);
    expect(partnerHundred.statements).toBe(partnerTen.statements);
    // One statement per relation (the list, four relations of accounts, five of theirs), whatever the number of rows.
    expect(adminHundred.statements).toBe(10);
    expect(partnerHundred.statements).toBe(11);
  });
});

async function bulk<T extends ObjectLiteral>(
  m: EntityManager,
  target: EntityTarget<T>,
  rows: T[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += 50) await m.insert(target, rows.slice(i, i + 50));
}
