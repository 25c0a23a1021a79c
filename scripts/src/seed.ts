import { graphqlData } from '@lic/shared';

export interface SeedSummary {
  accounts: Array<{ id: string; name: string }>;
  servers: Array<{ id: string; name: string; accountId: string }>;
}

const CREATE_ACCOUNT = `mutation($input: CreateAccountInput!) { createAccount(input: $input) { id name } }`;
const REGISTER_SERVER = `mutation($input: RegisterServerInput!) { registerServer(input: $input) { id name } }`;

/** Demo data, created through the public API so that it passes every rule a client would meet. */
export async function seedDemoData(gatewayUrl: string, adminToken: string): Promise<SeedSummary> {
  const accounts: SeedSummary['accounts'] = [];
  const servers: SeedSummary['servers'] = [];
  const account = async (name: string, garn: string, kind: 'CUSTOMER' | 'PARTNER') => {
    const data = await graphqlData<{ createAccount: { id: string; name: string } }>(
      gatewayUrl,
      CREATE_ACCOUNT,
      { input: { name, garn, kind } },
      adminToken,
    );
    accounts.push(data.createAccount);
    return data.createAccount.id;
  };
  const server = async (
    accountId: string,
    name: string,
    installSiteId: string,
    switchoverPartnerId?: string,
  ) => {
    const data = await graphqlData<{ registerServer: { id: string; name: string } }>(
      gatewayUrl,
      REGISTER_SERVER,
      { input: { accountId, installSiteId, name, ...(switchoverPartnerId ? { switchoverPartnerId } : {}) } },
      adminToken,
    );
    servers.push({ ...data.registerServer, accountId });
    return data.registerServer.id;
  };

  const acme = await account('Acme Contact Centre', 'GARN-100001', 'CUSTOMER');
  await account('Globex Partners', 'GARN-200001', 'PARTNER');
  const initech = await account('Initech', 'GARN-100002', 'CUSTOMER');
  const primary = await server(acme, 'acme-cic-1', '00000000-0000-4000-8000-000000000001');
  await server(acme, 'acme-cic-2', '00000000-0000-4000-8000-000000000001', primary);
  await server(initech, 'initech-cic', '00000000-0000-4000-8000-000000000002');
  return { accounts, servers };
}
