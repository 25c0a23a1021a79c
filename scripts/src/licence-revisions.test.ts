import * as accounts from '@lic/accounts';
import * as allocation from '@lic/allocation';
import { InProcessTransport, ManualClock, generateSigningKeyPair } from '@lic/shared';
import { describeEachDatabase, eventually, graphqlRequest, testEnvironment, tokenFor } from '@lic/testing';

const CLIENT = 'I3_ACCESS_CLIENT';
const FILE = 'id revision content';

/**
 * Issue 14, through both subgraphs and the event path between them: "An activation file that was
 * updated still loads in its old, larger version (same file id, older content): an order of 5 gave
 * 9 live client-access licences across two servers." SPEC: "Quantities an update gives back to the
 * account are never usable twice."
 */
describeEachDatabase('activation-file revisions from accounts to allocation', (database) => {
  const keys = generateSigningKeyPair();
  const env = testEnvironment({
    database,
    env: {
      LOG_LEVEL: 'error',
      LICENSE_SIGNING_PRIVATE_KEY: keys.privateKeyPem,
      LICENSE_SIGNING_PUBLIC_KEY: keys.publicKeyPem,
    },
  });
  const clock = new ManualClock('2024-03-01T08:00:00.000Z');
  const transport = new InProcessTransport();
  let accountsServer: accounts.AccountsServer;
  let allocationServer: allocation.AllocationServer;
  let admin: string;

  beforeAll(async () => {
    accountsServer = await accounts.createServer(env.config, { clock, transport });
    allocationServer = await allocation.createServer(env.config, { clock, transport });
    admin = await tokenFor(env.config, { sub: 'licensing', roles: ['LICENSING_ADMIN'], certified: true });
  });
  afterAll(async () => {
    await allocationServer?.close();
    await accountsServer?.close();
    await transport.close();
    await env.cleanup();
  });

  const call = async <T>(url: string, query: string, variables: Record<string, unknown>) => {
    const result = await graphqlRequest<T>(url, query, variables, admin);
    const error = result.errors?.[0];
    if (error) throw Object.assign(new Error(error.message), { code: error.extensions?.['code'] });
    return result.data as T;
  };
  const onAccounts = <T>(query: string, variables: Record<string, unknown> = {}) =>
    call<T>(accountsServer.url, query, variables);
  const onAllocation = <T>(query: string, variables: Record<string, unknown> = {}) =>
    call<T>(allocationServer.url, query, variables);
  const codeOf = async (work: Promise<unknown>) => {
    try {
      await work;
    } catch (error) {
      return (error as { code?: unknown }).code;
    }
    return 'succeeded';
  };

  it('an order of 5: the update to 1 reaches the running server, and the old content of 5 never loads again', async () => {
    const { createAccount } = await onAccounts<{ createAccount: { id: string } }>(
      'mutation($input: CreateAccountInput!) { createAccount(input: $input) { id } }',
      { input: { name: 'Integrity', garn: `GARN-REV-${database}`, kind: 'CUSTOMER' } },
    );
    const accountId = createAccount.id;
    const { createInstallSite } = await onAccounts<{ createInstallSite: { id: string } }>(
      'mutation($input: CreateInstallSiteInput!) { createInstallSite(input: $input) { id } }',
      { input: { accountId, name: 'HQ', address: '1 Main Street' } },
    );
    const siteId = createInstallSite.id;
    const clients = { partNumber: 'SW-001-4.0-AL02', assignedQuantity: 5, pooledQuantity: 0 };
    await onAccounts('mutation($input: CreateSalesOrderInput!) { createSalesOrder(input: $input) { id } }', {
      input: {
        endUserAccountId: accountId,
        licenseModel: 'PERPETUAL',
        maintenancePaid: true,
        lines: [clients, { partNumber: 'SW-003-4.0-SV01', assignedQuantity: 2, pooledQuantity: 0 }],
      },
    });
    const generate = async (machineName: string, assignedQuantity: number) =>
      (
        await onAccounts<{ generateActivationFile: { id: string; revision: number; content: string } }>(
          `mutation($input: GenerateActivationFileInput!) { generateActivationFile(input: $input) { ${FILE} } }`,
          {
            input: {
              installSiteId: siteId,
              product: 'PureConnect CIC',
              productVersion: '2020 R2',
              licenseType: 'PRODUCTION',
              machine: { hostId: `H-${machineName}`, machineName, systemType: 'Server' },
              serverItem: 'SW-003-4.0-SV01',
              items: [{ ...clients, assignedQuantity }],
            },
          },
        )
      ).generateActivationFile;
    const register = async (name: string) =>
      (
        await onAllocation<{ registerServer: { id: string } }>(
          'mutation($input: RegisterServerInput!) { registerServer(input: $input) { id } }',
          { input: { accountId, installSiteId: siteId, name } },
        )
      ).registerServer.id;
    const LOAD =
      'mutation($id: ID!, $content: String!) { loadLicenseFile(serverId: $id, content: $content) { id } }';
    const allowed = async (serverId: string) =>
      (
        await onAllocation<{ licenseStatistics: Array<{ key: string; assignableAllowed: number | null }> }>(
          'query($id: ID!) { licenseStatistics(serverId: $id) { key assignableAllowed } }',
          { id: serverId },
        )
      ).licenseStatistics.find((s) => s.key === CLIENT)?.assignableAllowed ?? 0;

    const five = await generate('cic-a', 5);
    const serverA = await register('cic-a');
    await onAllocation(LOAD, { id: serverA, content: five.content });
    expect(await allowed(serverA)).toBe(5);

    // The account updates the file to 1: the 4 it gets back go into a file for another server.
    const { updateActivationFile: one } = await onAccounts<{
      updateActivationFile: { revision: number; content: string };
    }>(
      `mutation($id: ID!, $input: UpdateActivationFileInput!) { updateActivationFile(id: $id, input: $input) { ${FILE} } }`,
      { id: five.id, input: { items: [{ ...clients, assignedQuantity: 1 }] } },
    );
    expect(one.revision).toBe(2);
    await eventually(async () => (await allowed(serverA)) === 1);
    const four = await generate('cic-b', 4);
    const serverB = await register('cic-b');
    await onAllocation(LOAD, { id: serverB, content: four.content });

    // The old content of 5: superseded on its own server; no clone of the machine can be registered.
    expect(await codeOf(onAllocation(LOAD, { id: serverA, content: five.content }))).toBe(
      'LICENSE_FILE_SUPERSEDED',
    );
    expect(await codeOf(register('CIC-A'))).toBe('BAD_USER_INPUT');
    expect((await allowed(serverA)) + (await allowed(serverB))).toBe(5);
    // The current revision loads again.
    await onAllocation(LOAD, { id: serverA, content: one.content });
    expect((await allowed(serverA)) + (await allowed(serverB))).toBe(5);
  });
});
