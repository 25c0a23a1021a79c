import { Topics } from '@lic/shared';
import { describeEachDatabase, eventually } from '@lic/testing';
import {
  CREATE_ACCOUNT,
  CREATE_ORDER,
  CREATE_SITE,
  type Harness,
  accountWithOrder,
  startAccounts,
} from '../../test/harness.js';

interface OrderResult {
  createSalesOrder: {
    id: string;
    orderNumber: string;
    lines: Array<{
      partNumber: string;
      assignedQuantity: number;
      pooledQuantity: number;
      keys: Array<{ key: string; quantity: number }>;
    }>;
  };
}

/** docs/domain.md section 1, the reference's table: part, assigned, pooled, keys granted. */
const PART_TABLE: Array<[string, number, number, Record<string, number>]> = [
  ['SW-001-4.0-AL01', 0, 25, { I3_LICENSE_BASIC_STATION: 25 }],
  ['SW-001-4.0-AL02', 5, 0, { I3_LICENSE_BASIC_STATION: 5, I3_ACCESS_CLIENT: 5 }],
  [
    'SW-001-4.0-AL03',
    5,
    25,
    { I3_LICENSE_BASIC_STATION: 30, I3_ACCESS_ACD_MEDIA_1: 5, I3_ACCESS_ACD_MEDIA_1_CONCURRENT: 25 },
  ],
  [
    'SW-001-4.0-AL04',
    5,
    25,
    {
      I3_LICENSE_BASIC_STATION: 30,
      I3_ACCESS_CLIENT: 5,
      I3_ACCESS_ACD_MEDIA_1: 5,
      I3_ACCESS_CLIENT_CONCURRENT: 25,
      I3_ACCESS_ACD_MEDIA_1_CONCURRENT: 25,
    },
  ],
  [
    'SW-001-4.0-AA01',
    2,
    0,
    {
      I3_ACCESS_DIALER_SUPERVISOR_PLUGIN: 2,
      I3_ACCESS_WORKGROUP_SUPERVISOR_PLUGIN: 2,
      I3_ACCESS_HISTORICAL_REPORT_SUPERVISOR_PLUGIN: 2,
    },
  ],
  [
    'SW-001-4.0-AA02',
    1,
    1,
    { I3_ACCESS_INTERACTION_SCRIPTER_ADDON: 1, I3_ACCESS_INTERACTION_SCRIPTER_ADDON_CONCURRENT: 1 },
  ],
  [
    'SW-001-4.0-AA17',
    2,
    2,
    {
      I3_ACCESS_REPORT_ASSISTANT_SUPERVISOR_PLUGIN: 2,
      I3_ACCESS_REPORT_ASSISTANT_SUPERVISOR_PLUGIN_CONCURRENT: 2,
    },
  ],
];

describeEachDatabase('sales orders, install sites and the part catalogue', (database) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startAccounts(database);
  });
  afterAll(() => h.close());

  it('serves the seeded part catalogue', async () => {
    const { partCatalog } = await h.gql<{
      partCatalog: Array<{ partNumber: string; kind: string; keys: string[] }>;
    }>(h.admin, '{ partCatalog { partNumber kind keys } }');
    expect(partCatalog.find((p) => p.partNumber === 'SW-001-4.0-AL04')).toEqual({
      partNumber: 'SW-001-4.0-AL04',
      kind: 'ACCESS',
      keys: ['I3_LICENSE_BASIC_STATION', 'I3_ACCESS_CLIENT', 'I3_ACCESS_ACD_MEDIA_1'],
    });
    expect(partCatalog.map((p) => p.kind)).toEqual(
      expect.arrayContaining(['FEATURE', 'SERVER', 'SESSION', 'EVALUATION']),
    );
  });

  it("reproduces docs/domain.md's part table exactly from sales-order lines", async () => {
    const { accountId } = await accountWithOrder(h, { name: 'Table', garn: 'GARN-TABLE' });
    const { createSalesOrder } = await h.gql<OrderResult>(h.admin, CREATE_ORDER, {
      input: {
        endUserAccountId: accountId,
        licenseModel: 'PERPETUAL',
        lines: PART_TABLE.map(([partNumber, assignedQuantity, pooledQuantity]) => ({
          partNumber,
          assignedQuantity,
          pooledQuantity,
        })),
      },
    });
    expect(createSalesOrder.orderNumber).toMatch(/^SO-\d{6}$/);
    expect(
      createSalesOrder.lines.map((l) => [
        l.partNumber,
        l.assignedQuantity,
        l.pooledQuantity,
        Object.fromEntries(l.keys.map((k) => [k.key, k.quantity])),
      ]),
    ).toEqual(PART_TABLE);
    // Key for key, in the reference's order (station first, then each key, then the concurrent twins).
    expect(createSalesOrder.lines[3]!.keys.map((k) => k.key)).toEqual([
      'I3_LICENSE_BASIC_STATION',
      'I3_ACCESS_CLIENT',
      'I3_ACCESS_ACD_MEDIA_1',
      'I3_ACCESS_CLIENT_CONCURRENT',
      'I3_ACCESS_ACD_MEDIA_1_CONCURRENT',
    ]);
    const { account } = await h.gql<{
      account: { summary: Array<{ partNumber: string; ordered: number; used: number; remaining: number }> };
    }>(h.admin, '{ account(id: "' + accountId + '") { summary { partNumber ordered used remaining } } }');
    expect(account.summary.find((s) => s.partNumber === 'SW-001-4.0-AL04')).toEqual({
      partNumber: 'SW-001-4.0-AL04',
      ordered: 30,
      used: 0,
      remaining: 30,
    });
  });

  it('adds a second order to the same entitlement and links sold-to partners', async () => {
    const { createAccount: partner } = await h.gql<{ createAccount: { id: string } }>(
      h.admin,
      CREATE_ACCOUNT,
      {
        input: { name: 'Reseller', garn: 'GARN-R1', kind: 'PARTNER' },
      },
    );
    const { accountId } = await accountWithOrder(h, {
      name: 'Twice',
      garn: 'GARN-TWICE',
      soldToAccountId: partner.id,
      lines: [{ partNumber: 'SW-001-4.0-AL02', assignedQuantity: 3 }],
    });
    await h.gql(h.admin, CREATE_ORDER, {
      input: {
        endUserAccountId: accountId,
        licenseModel: 'PERPETUAL',
        lines: [{ partNumber: 'SW-001-4.0-AL02', assignedQuantity: 4 }],
      },
    });
    const data = await h.gql<{
      account: {
        summary: Array<{ ordered: number }>;
        salesOrders: Array<{ soldToAccount: { name: string } | null; soldToAccountId: string }>;
      };
    }>(
      h.admin,
      `{ account(id: "${accountId}") { summary { ordered } salesOrders { soldToAccountId soldToAccount { name } } } }`,
    );
    expect(data.account.summary).toEqual([{ ordered: 7 }]);
    expect(data.account.salesOrders.map((o) => o.soldToAccount?.name ?? o.soldToAccountId)).toEqual([
      'Reseller',
      'Twice',
    ]);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['an unknown part', { lines: [{ partNumber: 'SW-404', assignedQuantity: 1 }] }, 'lines.0.partNumber'],
    [
      'a pooled server item',
      { lines: [{ partNumber: 'SW-003-4.0-SV01', assignedQuantity: 0, pooledQuantity: 1 }] },
      'lines.0.pooledQuantity',
    ],
    ['no lines', { lines: [] }, 'lines'],
    [
      'a customer as sold-to',
      { soldToAccountId: 'self-customer', lines: [{ partNumber: 'SW-001-4.0-AL02', assignedQuantity: 1 }] },
      'soldToAccountId',
    ],
    [
      'virtual-cloud terms on a perpetual order',
      { gracePeriodDays: 7, lines: [{ partNumber: 'SW-001-4.0-AL02', assignedQuantity: 1 }] },
      'gracePeriodDays',
    ],
    [
      'a malformed version',
      { productVersion: 'R2', lines: [{ partNumber: 'SW-001-4.0-AL02', assignedQuantity: 1 }] },
      'productVersion',
    ],
  ])('refuses an order with %s and records nothing', async (_name, change, field) => {
    const { accountId } = await accountWithOrder(h, {
      name: `Bad ${field}`,
      garn: `GARN-BAD-${field.replace(/\W/g, '')}`,
    });
    const { accountId: other } = await accountWithOrder(h, {
      name: `Other ${field}`,
      garn: `GARN-OTH-${field.replace(/\W/g, '')}`,
    });
    const input: Record<string, unknown> = {
      endUserAccountId: accountId,
      licenseModel: 'PERPETUAL',
      ...change,
    };
    if (change['soldToAccountId']) input['soldToAccountId'] = other;
    const error = await h.fail(h.admin, CREATE_ORDER, { input });
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    const data = await h.gql<{ account: { salesOrders: unknown[]; summary: unknown[] } }>(
      h.admin,
      `{ account(id: "${accountId}") { salesOrders { id } summary { partNumber } } }`,
    );
    expect(data.account).toEqual({ salesOrders: [], summary: [] });
  });

  it('lets only the licensing team record orders', async () => {
    const { accountId } = await accountWithOrder(h, { name: 'Self', garn: 'GARN-SELF' });
    const customer = await h.token({ roles: ['CUSTOMER_ADMIN'], accountId, certified: true });
    const error = await h.fail(customer, CREATE_ORDER, {
      input: {
        endUserAccountId: accountId,
        licenseModel: 'PERPETUAL',
        lines: [{ partNumber: 'SW-001-4.0-AL02', assignedQuantity: 100 }],
      },
    });
    expect(error.extensions?.['code']).toBe('FORBIDDEN');
  });

  it('records maintenance renewals and lapses, which decide the update key of new files', async () => {
    const { accountId, orderId } = await accountWithOrder(h, {
      name: 'Maintained',
      garn: 'GARN-MAINT',
      lines: [{ partNumber: 'SW-003-4.0-SV01', assignedQuantity: 2 }],
    });
    const state = async () =>
      (
        await h.gql<{
          account: { softwareDetails: { maintenancePaid: boolean; maintenancePaidUntil: string | null } };
        }>(
          h.admin,
          `{ account(id: "${accountId}") { softwareDetails { maintenancePaid maintenancePaidUntil } } }`,
        )
      ).account.softwareDetails;
    expect(await state()).toEqual({ maintenancePaid: true, maintenancePaidUntil: null });
    const renew = `mutation($id: ID!, $paid: Boolean!, $until: DateTime) {
      updateSalesOrderMaintenance(id: $id, maintenancePaid: $paid, maintenancePaidUntil: $until) { maintenancePaid maintenancePaidUntil }
    }`;
    const until = new Date(h.clock.now().getTime() + 86_400_000).toISOString();
    await h.gql(h.admin, renew, { id: orderId, paid: true, until });
    expect(await state()).toEqual({ maintenancePaid: true, maintenancePaidUntil: until });
    h.clock.advance(2 * 86_400_000);
    expect((await state()).maintenancePaid).toBe(false);
    const customer = await h.token({ roles: ['CUSTOMER_ADMIN'], accountId });
    expect(
      (await h.fail(customer, renew, { id: orderId, paid: true, until: null })).extensions?.['code'],
    ).toBe('FORBIDDEN');
  });

  // Issue 15, hole 8: "maintenance dates in the past are stored".
  it('refuses a maintenance end date in the past, on the order and on a renewal, storing nothing', async () => {
    const past = new Date(h.clock.now().getTime() - 86_400_000).toISOString();
    const refused = await h.fail(h.admin, CREATE_ORDER, {
      input: {
        endUserAccountId: (
          await h.gql<{ createAccount: { id: string } }>(h.admin, CREATE_ACCOUNT, {
            input: { name: 'Lapsed', garn: 'GARN-LAPSED', kind: 'CUSTOMER' },
          })
        ).createAccount.id,
        licenseModel: 'PERPETUAL',
        maintenancePaid: true,
        maintenancePaidUntil: past,
        lines: [{ partNumber: 'SW-003-4.0-SV01', assignedQuantity: 2 }],
      },
    });
    expect(refused.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'maintenancePaidUntil' });

    const { accountId, orderId } = await accountWithOrder(h, {
      name: 'Renewed late',
      garn: 'GARN-LATE',
      lines: [{ partNumber: 'SW-003-4.0-SV01', assignedQuantity: 2 }],
    });
    const renew = `mutation($id: ID!, $until: DateTime) {
      updateSalesOrderMaintenance(id: $id, maintenancePaid: true, maintenancePaidUntil: $until) { maintenancePaidUntil }
    }`;
    const renewal = await h.fail(h.admin, renew, { id: orderId, until: past });
    expect(renewal.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'maintenancePaidUntil' });
    const { account } = await h.gql<{
      account: { softwareDetails: { maintenancePaidUntil: string | null } };
    }>(h.admin, `{ account(id: "${accountId}") { softwareDetails { maintenancePaidUntil } } }`);
    expect(account.softwareDetails.maintenancePaidUntil).toBeNull();
  });

  it('creates, edits and deactivates install sites, keeping their history', async () => {
    const siteEvents = await h.events(Topics.InstallSiteChanged);
    const { accountId } = await accountWithOrder(h, { name: 'Sites', garn: 'GARN-SITES' });
    const customer = await h.token({ roles: ['CUSTOMER_ADMIN'], accountId });
    const { createInstallSite } = await h.gql<{ createInstallSite: { id: string } }>(customer, CREATE_SITE, {
      input: { accountId, name: 'Branch', address: '2 Side Road' },
    });
    const { updateInstallSite } = await h.gql<{
      updateInstallSite: { name: string; address: string | null; active: boolean };
    }>(
      customer,
      `mutation($id: ID!) { updateInstallSite(id: $id, input: { name: "Branch Office", address: null }) { name address active } }`,
      { id: createInstallSite.id },
    );
    expect(updateInstallSite).toEqual({ name: 'Branch Office', address: null, active: true });
    h.clock.advance(60_000);
    const { deactivateInstallSite } = await h.gql<{
      deactivateInstallSite: { active: boolean; deactivatedAt: string };
    }>(customer, `mutation($id: ID!) { deactivateInstallSite(id: $id) { active deactivatedAt } }`, {
      id: createInstallSite.id,
    });
    expect(deactivateInstallSite).toEqual({ active: false, deactivatedAt: h.clock.now().toISOString() });
    const { account } = await h.gql<{
      account: { all: Array<{ name: string }>; active: Array<{ name: string }> };
    }>(
      customer,
      `{ account(id: "${accountId}") { all: installSites { name } active: installSites(includeInactive: false) { name } } }`,
    );
    expect(account.all.map((s) => s.name)).toEqual(['Branch Office', 'Sites HQ']);
    expect(account.active.map((s) => s.name)).toEqual(['Sites HQ']);
    const again = await h.fail(customer, `mutation($id: ID!) { deactivateInstallSite(id: $id) { id } }`, {
      id: createInstallSite.id,
    });
    expect(again.extensions?.['code']).toBe('BAD_USER_INPUT');
    const empty = await h.fail(customer, CREATE_SITE, { input: { accountId, name: '  ' } });
    expect(empty.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'name' });
    // Allocation learns each site and its deactivation (it registers servers only at active sites).
    await eventually(
      () =>
        siteEvents.filter(
          (e) => (e.payload as { installSiteId: string }).installSiteId === createInstallSite.id,
        ).length === 2 || undefined,
    );
    expect(
      siteEvents
        .filter((e) => (e.payload as { installSiteId: string }).installSiteId === createInstallSite.id)
        .map((e) => e.payload),
    ).toEqual([
      { installSiteId: createInstallSite.id, accountId, active: true },
      { installSiteId: createInstallSite.id, accountId, active: false },
    ]);
  });

  it('refuses a GARN that is already used, in any letter case', async () => {
    await h.gql(h.admin, CREATE_ACCOUNT, { input: { name: 'First', garn: 'GARN-DUP', kind: 'CUSTOMER' } });
    const error = await h.fail(h.admin, CREATE_ACCOUNT, {
      input: { name: 'Second', garn: 'garn-dup', kind: 'CUSTOMER' },
    });
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'garn' });
  });
});
