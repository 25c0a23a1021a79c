import { type GatewaySigner, graphqlData } from '@lic/shared';

export interface SeededAccount {
  id: string;
  name: string;
  garn: string;
  kind: 'CUSTOMER' | 'PARTNER';
}

export interface SeededActivationFile {
  id: string;
  accountId: string;
  installSiteId: string;
  machineName: string;
  switchoverMachineName: string | null;
  fileName: string;
  /** The signed text a CIC server loads (`loadLicenseFile`). */
  content: string;
}

export interface SeededAccounts {
  accounts: { acme: SeededAccount; globex: SeededAccount; initech: SeededAccount; demo: SeededAccount };
  sites: { acme: string; initech: string; demo: string };
  orders: { acme: string; initech: string; demo: string };
  files: { acmeCic: SeededActivationFile; initechCic: SeededActivationFile; demoCloud: SeededActivationFile };
}

/** The enforcement demo's account (docs/domain.md, "Demo accounts") and its virtual-cloud server. */
export const DEMO_CLOUD_ACCOUNT = { name: 'Demo Cloud (enforcement demo)', garn: 'GARN-900001' } as const;
export const DEMO_CLOUD_SERVER = 'demo-cloud-1';

interface Line {
  partNumber: string;
  assignedQuantity: number;
  pooledQuantity?: number;
}

const CREATE_ACCOUNT = `mutation($input: CreateAccountInput!) { createAccount(input: $input) { id name garn kind } }`;
const CREATE_SITE = `mutation($input: CreateInstallSiteInput!) { createInstallSite(input: $input) { id } }`;
const CREATE_ORDER = `mutation($input: CreateSalesOrderInput!) { createSalesOrder(input: $input) { id orderNumber } }`;
const GENERATE = `mutation($input: GenerateActivationFileInput!) {
  generateActivationFile(input: $input) { id fileName content machine { machineName } switchover { machineName } }
}`;

/** The reference's part table (docs/domain.md section 1), row for row. */
const PART_TABLE: Line[] = [
  { partNumber: 'SW-001-4.0-AL01', assignedQuantity: 0, pooledQuantity: 25 },
  { partNumber: 'SW-001-4.0-AL02', assignedQuantity: 5, pooledQuantity: 0 },
  { partNumber: 'SW-001-4.0-AL03', assignedQuantity: 5, pooledQuantity: 25 },
  { partNumber: 'SW-001-4.0-AL04', assignedQuantity: 5, pooledQuantity: 25 },
  { partNumber: 'SW-001-4.0-AA01', assignedQuantity: 2, pooledQuantity: 0 },
  { partNumber: 'SW-001-4.0-AA02', assignedQuantity: 1, pooledQuantity: 1 },
  { partNumber: 'SW-001-4.0-AA17', assignedQuantity: 2, pooledQuantity: 2 },
];
const ACCESS = PART_TABLE.filter((l) => l.partNumber.includes('-AL'));
const ADD_ONS = PART_TABLE.filter((l) => l.partNumber.includes('-AA'));

const DAY_MS = 86_400_000;

/** What an earlier, perhaps interrupted, seed left: each step below reuses what it finds. */
const EXISTING = `{
  accounts {
    id name garn kind
    installSites { id name }
    salesOrders { id orderNumber }
    activationFiles(active: YES) {
      id installSiteId fileName content machine { machineName } switchover { machineName }
    }
  }
}`;

interface ExistingAccount extends SeededAccount {
  installSites: Array<{ id: string; name: string }>;
  salesOrders: Array<{ id: string; orderNumber: string }>;
  activationFiles: Array<{
    id: string;
    installSiteId: string;
    fileName: string;
    content: string;
    machine: { machineName: string };
    switchover: { machineName: string } | null;
  }>;
}

/**
 * The accounts side of the demo, created through the public API so that it passes every rule a
 * client would meet: a virtual-cloud subscription customer (Acme, a switchover pair), a partner
 * (Globex) and the perpetual customer it sold to (Initech), their sites and orders (the reference's
 * part table, feature parts, server items, call ports), and one production activation file per demo
 * CIC server: acme-cic-1 (with switchover acme-cic-2) and initech-cic; and the enforcement demo's
 * account (Demo Cloud) with its virtual-cloud server demo-cloud-1, enforced from yesterday on, for
 * a demo on the fast clock (docs/domain.md, "Demo accounts"). `adminToken` must be a
 * certified LICENSING_ADMIN (only the licensing team generates subscription files).
 *
 * Idempotent: every step first looks for what an earlier run created (an account by its GARN, a
 * site by its name, an order by its number, an active file by its machine name) and creates only
 * what is missing, so a seed interrupted at any step completes when run again, without duplicates.
 */
export async function seedAccounts(
  gatewayUrl: string,
  adminToken: string,
  /** Only to seed the accounts subgraph directly (it answers only requests the gateway signed). */
  signer?: GatewaySigner,
): Promise<SeededAccounts> {
  const call = <T>(query: string, variables: Record<string, unknown>) =>
    graphqlData<T>(gatewayUrl, query, variables, adminToken, signer);
  const existing = (await call<{ accounts: ExistingAccount[] }>(EXISTING, {})).accounts;
  const found = (accountId: string) => existing.find((a) => a.id === accountId);
  const account = async (
    name: string,
    garn: string,
    kind: 'CUSTOMER' | 'PARTNER',
  ): Promise<SeededAccount> => {
    const earlier = existing.find((a) => a.garn === garn);
    if (earlier) return { id: earlier.id, name: earlier.name, garn: earlier.garn, kind: earlier.kind };
    return (await call<{ createAccount: SeededAccount }>(CREATE_ACCOUNT, { input: { name, garn, kind } }))
      .createAccount;
  };
  const site = async (accountId: string, name: string, address: string) =>
    found(accountId)?.installSites.find((s) => s.name === name)?.id ??
    (await call<{ createInstallSite: { id: string } }>(CREATE_SITE, { input: { accountId, name, address } }))
      .createInstallSite.id;
  const order = async (input: { orderNumber: string; endUserAccountId: string } & Record<string, unknown>) =>
    found(input.endUserAccountId)?.salesOrders.find((o) => o.orderNumber === input.orderNumber)?.id ??
    (await call<{ createSalesOrder: { id: string } }>(CREATE_ORDER, { input })).createSalesOrder.id;
  const generate = async (
    accountId: string,
    installSiteId: string,
    input: { machine: { machineName: string } & Record<string, unknown> } & Record<string, unknown>,
  ): Promise<SeededActivationFile> => {
    const earlier = found(accountId)?.activationFiles.find(
      (f) => f.installSiteId === installSiteId && f.machine.machineName === input.machine.machineName,
    );
    if (earlier) {
      return {
        id: earlier.id,
        accountId,
        installSiteId,
        machineName: earlier.machine.machineName,
        switchoverMachineName: earlier.switchover?.machineName ?? null,
        fileName: earlier.fileName,
        content: earlier.content,
      };
    }
    const { generateActivationFile: f } = await call<{
      generateActivationFile: {
        id: string;
        fileName: string;
        content: string;
        machine: { machineName: string };
        switchover: { machineName: string } | null;
      };
    }>(GENERATE, {
      input: { installSiteId, product: 'PureConnect CIC', licenseType: 'PRODUCTION', ...input },
    });
    return {
      id: f.id,
      accountId,
      installSiteId,
      machineName: f.machine.machineName,
      switchoverMachineName: f.switchover?.machineName ?? null,
      fileName: f.fileName,
      content: f.content,
    };
  };

  const acme = await account('Acme Contact Centre', 'GARN-100001', 'CUSTOMER');
  const globex = await account('Globex Partners', 'GARN-200001', 'PARTNER');
  const initech = await account('Initech', 'GARN-100002', 'CUSTOMER');
  const demo = await account(DEMO_CLOUD_ACCOUNT.name, DEMO_CLOUD_ACCOUNT.garn, 'CUSTOMER');
  const acmeSite = await site(acme.id, 'Acme Indianapolis HQ', '7601 Interactive Way, Indianapolis, IN');
  const initechSite = await site(initech.id, 'Initech Austin', '4120 Freidrich Lane, Austin, TX');
  const demoSite = await site(demo.id, 'Demo Cloud Region 1', '1 Demo Way, Indianapolis, IN');

  // Acme: a direct subscription with virtual-cloud licensing; enforcement ramps up in 30 days.
  const rampDate = new Date(Math.ceil((Date.now() + 30 * DAY_MS) / DAY_MS) * DAY_MS);
  const acmeFeatures: Line[] = [
    { partNumber: 'SW-002-4.0-FT01', assignedQuantity: 1 },
    { partNumber: 'SW-002-4.0-FT02', assignedQuantity: 1 },
    { partNumber: 'SW-002-4.0-FT03', assignedQuantity: 1 },
    { partNumber: 'SW-002-4.0-FT04', assignedQuantity: 1 },
    { partNumber: 'SW-002-4.0-FT12', assignedQuantity: 1 },
    { partNumber: 'SW-002-4.0-FT14', assignedQuantity: 1 },
  ];
  const acmeCallPorts: Line = { partNumber: 'SW-004-4.0-SN01', assignedQuantity: 96 };
  const acmeOrder = await order({
    orderNumber: 'SO-ACME-0001',
    endUserAccountId: acme.id,
    licenseModel: 'SUBSCRIPTION',
    productVersion: '2020 R2',
    maintenancePaid: true,
    rampDate: rampDate.toISOString(),
    gracePeriodDays: 7,
    lines: [
      ...PART_TABLE,
      ...acmeFeatures.filter((l) => l.partNumber !== 'SW-002-4.0-FT14'),
      // Two virtual-cloud units: the CIC pair's file, and one left for a media server file later.
      { partNumber: 'SW-002-4.0-FT14', assignedQuantity: 2 },
      // Two Advanced servers: acme-cic-1 and its switchover partner acme-cic-2; one Media Server.
      { partNumber: 'SW-003-4.0-SV03', assignedQuantity: 2 },
      { partNumber: 'SW-003-4.0-SV04', assignedQuantity: 1 },
      acmeCallPorts,
    ],
  });

  // Initech: perpetual, sold by Globex (so no usage tracking or virtual cloud).
  const initechAccess: Line[] = [
    { partNumber: 'SW-001-4.0-AL02', assignedQuantity: 10, pooledQuantity: 0 },
    { partNumber: 'SW-001-4.0-AL04', assignedQuantity: 10, pooledQuantity: 20 },
  ];
  const initechRest: Line[] = [
    { partNumber: 'SW-001-4.0-AA01', assignedQuantity: 2, pooledQuantity: 0 },
    { partNumber: 'SW-002-4.0-FT01', assignedQuantity: 1 },
    // No usage tracking: it needs a subscription, and a perpetual file never holds it.
    { partNumber: 'SW-004-4.0-SN01', assignedQuantity: 48 },
  ];
  const initechOrder = await order({
    orderNumber: 'SO-INITECH-0001',
    endUserAccountId: initech.id,
    soldToAccountId: globex.id,
    licenseModel: 'PERPETUAL',
    productVersion: '2020 R2',
    maintenancePaid: true,
    lines: [...initechAccess, ...initechRest, { partNumber: 'SW-003-4.0-SV01', assignedQuantity: 1 }],
  });

  // Demo Cloud: a virtual-cloud subscription enforced since yesterday (7 days' grace), so that on
  // the demo clock a server that stops checking in walks through every stage in minutes.
  const demoRampDate = new Date(Math.floor((Date.now() - DAY_MS) / DAY_MS) * DAY_MS);
  const demoVirtualCloud: Line = { partNumber: 'SW-002-4.0-FT14', assignedQuantity: 1 };
  const demoCallPorts: Line = { partNumber: 'SW-004-4.0-SN01', assignedQuantity: 24 };
  const demoOrder = await order({
    orderNumber: 'SO-DEMO-0001',
    endUserAccountId: demo.id,
    licenseModel: 'SUBSCRIPTION',
    productVersion: '2020 R2',
    maintenancePaid: true,
    rampDate: demoRampDate.toISOString(),
    gracePeriodDays: 7,
    lines: [
      ...PART_TABLE,
      demoVirtualCloud,
      { partNumber: 'SW-003-4.0-SV03', assignedQuantity: 1 },
      demoCallPorts,
    ],
  });

  const acmeCic = await generate(acme.id, acmeSite, {
    productVersion: '2020 R2',
    // Virtualised: a 2020 R2 subscription server with virtual-cloud licensing needs no host ID.
    machine: {
      machineName: 'acme-cic-1',
      systemType: 'Media Server Based',
      mailConnector: 'Microsoft Exchange',
    },
    serverItem: 'SW-003-4.0-SV03',
    switchover: {
      machineName: 'acme-cic-2',
      systemType: 'Media Server Based',
      serverItem: 'SW-003-4.0-SV03',
    },
    items: [...ACCESS, ...acmeFeatures, acmeCallPorts],
    addOnItems: ADD_ONS,
  });
  const initechCic = await generate(initech.id, initechSite, {
    productVersion: '2020 R2',
    machine: { hostId: '00-15-5D-4A-10-02', machineName: 'initech-cic', systemType: 'Media Server Based' },
    serverItem: 'SW-003-4.0-SV01',
    items: [...initechAccess, ...initechRest.filter((l) => !l.partNumber.includes('-AA'))],
    addOnItems: initechRest.filter((l) => l.partNumber.includes('-AA')),
  });

  const demoCloud = await generate(demo.id, demoSite, {
    productVersion: '2020 R2',
    machine: { machineName: DEMO_CLOUD_SERVER, systemType: 'Media Server Based' },
    serverItem: 'SW-003-4.0-SV03',
    items: [...ACCESS, demoVirtualCloud, demoCallPorts],
    addOnItems: ADD_ONS,
  });

  return {
    accounts: { acme, globex, initech, demo },
    sites: { acme: acmeSite, initech: initechSite, demo: demoSite },
    orders: { acme: acmeOrder, initech: initechOrder, demo: demoOrder },
    files: { acmeCic, initechCic, demoCloud },
  };
}
