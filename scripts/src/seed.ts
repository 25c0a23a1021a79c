import { graphqlData } from '@lic/shared';
import { seedAccounts } from './seed-accounts.js';
import { seedAllocation } from './seed-allocation.js';

export interface SeedSummary {
  accounts: Array<{ id: string; name: string }>;
  servers: Array<{ id: string; name: string; accountId: string }>;
  /**
   * The enforcement demo's account: list it in DEMO_ENFORCEMENT_ACCOUNT_IDS for its server
   * (demo-cloud-1) to run on the fast clock (docs/domain.md, "Demo accounts").
   */
  demoEnforcementAccountId: string;
}

const REGISTER_SERVER = `mutation($input: RegisterServerInput!) { registerServer(input: $input) { id name } }`;
const SERVERS = `query($id: ID!) { account(id: $id) { servers { id name } } }`;

/**
 * Demo data, created through the public API so that it passes every rule a client would meet:
 * accounts, sites, orders and signed activation files (accounts), the servers those files are
 * for with the files loaded, users and stations (allocation). Idempotent, step by step: a seed
 * interrupted anywhere (an upstream error, Ctrl-C) completes when run again, without duplicates.
 */
export async function seedDemoData(gatewayUrl: string, adminToken: string): Promise<SeedSummary> {
  const seeded = await seedAccounts(gatewayUrl, adminToken);
  const servers: SeedSummary['servers'] = [];
  const register = async (
    accountId: string,
    installSiteId: string,
    name: string,
    switchoverPartnerId?: string,
  ) => {
    const { account } = await graphqlData<{
      account: { servers: Array<{ id: string; name: string }> } | null;
    }>(gatewayUrl, SERVERS, { id: accountId }, adminToken);
    const earlier = account?.servers.find((s) => s.name === name);
    if (earlier) {
      servers.push({ ...earlier, accountId });
      return earlier.id;
    }
    const data = await graphqlData<{ registerServer: { id: string; name: string } }>(
      gatewayUrl,
      REGISTER_SERVER,
      { input: { accountId, installSiteId, name, ...(switchoverPartnerId ? { switchoverPartnerId } : {}) } },
      adminToken,
    );
    servers.push({ ...data.registerServer, accountId });
    return data.registerServer.id;
  };
  const { acme, initech } = seeded.accounts;
  const acmePrimary = await register(acme.id, seeded.sites.acme, seeded.files.acmeCic.machineName);
  const acmeBackup = await register(
    acme.id,
    seeded.sites.acme,
    seeded.files.acmeCic.switchoverMachineName ?? 'acme-cic-2',
    acmePrimary,
  );
  const initechServer = await register(initech.id, seeded.sites.initech, seeded.files.initechCic.machineName);
  const demoCloudServer = await register(
    seeded.accounts.demo.id,
    seeded.sites.demo,
    seeded.files.demoCloud.machineName,
  );
  // A switchover file is loaded on the primary and applies to both servers of the pair.
  await seedAllocation(gatewayUrl, adminToken, {
    servers: [
      { id: acmePrimary, licenseFileContent: seeded.files.acmeCic.content },
      { id: acmeBackup },
      { id: initechServer, licenseFileContent: seeded.files.initechCic.content },
      // The enforcement demo's server needs no people of its own: `npm run demo` brings them.
      { id: demoCloudServer, licenseFileContent: seeded.files.demoCloud.content, people: false },
    ],
  });
  return {
    accounts: Object.values(seeded.accounts).map((a) => ({ id: a.id, name: a.name })),
    servers,
    demoEnforcementAccountId: seeded.accounts.demo.id,
  };
}
