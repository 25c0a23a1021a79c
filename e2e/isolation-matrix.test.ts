import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSigningKeyPair } from '@lic/shared';
import {
  type MatrixEntry,
  type MatrixRole,
  type TestEnvironment,
  eventually,
  graphqlData,
  matrixKeys,
  runIsolationMatrix,
  runOwnTenantReads,
  testEnvironment,
  tokenFor,
  CREATE_MATRIX_API_KEY,
  accountsMatrix,
  createForeignWebhook,
  allocationMatrix,
  MATRIX_RANGE,
  billingMatrix,
  enforcementMatrix,
} from '@lic/testing';
import { seedDemoData, startStack, type Stack } from '@lic/scripts';
import { ROOT } from './helpers.js';

interface AcmeView {
  account: {
    garn: string;
    installSites: Array<{ id: string }>;
    salesOrders: Array<{ id: string }>;
    activationFiles: Array<{ id: string; content: string }>;
    servers: Array<{
      id: string;
      installSiteId: string;
      users: Array<{ id: string }>;
      stations: Array<{ id: string }>;
    }>;
  };
}

/**
 * The tenant-isolation matrix through the gateway, on the real platform with its demo data: every
 * root field and subscription of the public API, aimed at Acme, for every role of Initech (its
 * partner Globex, its administrator and supervisor, its server's machine credential) and with no
 * token. The field list is the API schema's: a root field without a row fails the test.
 */
describe('tenant isolation through the gateway (every role × every root field and subscription)', () => {
  const keys = generateSigningKeyPair();
  let env: TestEnvironment;
  let stack: Stack;
  let entries: Record<string, MatrixEntry>;
  /** The rows of allocation, billing and enforcement (a partner reads its customers' servers there). */
  let serverRows: Record<string, MatrixEntry>;
  /** A partner that sold to Acme (Globex sold to Initech only). */
  let acmePartner: string;
  let markers: string[];
  const tokens: Partial<Record<MatrixRole, string>> = {};

  beforeAll(async () => {
    env = testEnvironment({
      env: {
        LICENSE_SIGNING_PRIVATE_KEY: keys.privateKeyPem,
        LICENSE_SIGNING_PUBLIC_KEY: keys.publicKeyPem,
        WEBHOOK_ALLOW_LOOPBACK: 'true',
      },
    });
    // No webhook worker: Acme's endpoint (discard port) only needs to exist.
    stack = await startStack(env.config, { webhookWorker: false });
    const url = stack.gatewayUrl;
    const admin = await tokenFor(stack.config, { roles: ['LICENSING_ADMIN'], certified: true });
    const seeded = await seedDemoData(url, admin);
    const byName = (name: string) => seeded.accounts.find((a) => a.name.startsWith(name))!;
    const acme = byName('Acme');
    const initech = byName('Initech');
    const globex = byName('Globex');
    const { account } = await graphqlData<AcmeView>(
      url,
      `query($id: ID!) { account(id: $id) { garn installSites { id } salesOrders { id } activationFiles { id content }
        servers { id installSiteId users { id } stations { id } } } }`,
      { id: acme.id },
      admin,
    );
    const server = account.servers.find((s) => s.users.length > 0 && s.stations.length > 0)!;
    const acmeAdmin = await tokenFor(stack.config, {
      roles: ['CUSTOMER_ADMIN'],
      accountId: acme.id,
      sub: 'acme-admin',
    });
    const { submitActivationFileRequest: request } = await graphqlData<{
      submitActivationFileRequest: { id: string };
    }>(
      url,
      'mutation($input: ActivationFileRequestInput!) { submitActivationFileRequest(input: $input) { id } }',
      {
        input: {
          firstName: 'Ada',
          lastName: 'Acme',
          endUserAccount: acme.name,
          soldToAccount: acme.name,
          garn: account.garn,
          requestType: 'QUESTION',
          subject: 'acme-secret-subject',
          description: 'acme-secret-description',
          corporateEmail: 'ada@acme.example',
          confirmCorporateEmail: 'ada@acme.example',
          workPhone: '+44 20 7946 0003',
          employer: 'Acme Ltd',
        },
      },
      acmeAdmin,
    );
    const initechServer = seeded.servers.find((s) => s.accountId === initech.id)!;
    tokens.LICENSING_ADMIN = admin;
    tokens.PARTNER = await tokenFor(stack.config, {
      roles: ['PARTNER'],
      accountId: globex.id,
      sub: 'globex',
      certified: true,
    });
    tokens.CUSTOMER_ADMIN = await tokenFor(stack.config, {
      roles: ['CUSTOMER_ADMIN'],
      accountId: initech.id,
      sub: 'initech-admin',
      certified: true,
    });
    tokens.SUPERVISOR = await tokenFor(stack.config, {
      roles: ['SUPERVISOR'],
      accountId: initech.id,
      sub: 'initech-sup',
    });
    tokens.SERVER = await tokenFor(stack.config, {
      roles: ['SERVER'],
      serverId: initechServer.id,
      sub: 'initech-cic',
    });

    const user = server.users[0]!.id;
    // One session on Acme's server, so that its sessions are there to be refused.
    await graphqlData(
      url,
      'mutation($input: LogonInput!) { logon(input: $input) { session { id } } }',
      {
        input: {
          serverId: server.id,
          userId: user,
          stationId: server.stations[0]!.id,
          application: 'Interaction Connect',
        },
      },
      await tokenFor(stack.config, { roles: ['SERVER'], serverId: server.id, sub: 'acme-cic' }),
    );
    const usage = {
      serverId: server.id,
      accountId: acme.id,
      userId: user,
      // The demo data has no usage files in the matrix's range: a well-formed id of Acme's server.
      file: {
        id: `${server.id}~${Date.parse(MATRIX_RANGE.from)}`,
        fileName: 'acme.i3u',
        content: 'acme-usage',
      },
    };
    const { createApiKey } = await graphqlData<{ createApiKey: { apiKey: { id: string } } }>(
      url,
      CREATE_MATRIX_API_KEY,
      { accountId: acme.id },
      admin,
    );
    const all: Record<string, MatrixEntry> = {
      ...accountsMatrix({
        apiKeyId: createApiKey.apiKey.id,
        accountId: acme.id,
        garn: account.garn,
        name: acme.name,
        siteId: account.installSites[0]!.id,
        orderId: account.salesOrders[0]!.id,
        fileId: account.activationFiles[0]!.id,
        requestId: request.id,
        ...(await createForeignWebhook(
          <T>(query: string, variables: Record<string, unknown>) =>
            graphqlData<T>(url, query, variables, admin),
          acme.id,
          'http://127.0.0.1:9/acme-hook',
        )),
      }),
      ...allocationMatrix({
        serverId: server.id,
        accountId: acme.id,
        installSiteId: server.installSiteId,
        userId: user,
        stationId: server.stations[0]!.id,
        licenseFileContent: account.activationFiles[0]!.content,
      }),
      // Acme's demo servers record no usage in the matrix's range: the licensing team's answers are empty there.
      ...Object.fromEntries(
        Object.entries(billingMatrix(usage)).map(([key, entry]) => [
          key,
          entry.adminSees === true && key !== 'Query.usageReport'
            ? { ...entry, adminSees: 'answers' as const }
            : entry,
        ]),
      ),
      ...enforcementMatrix({ serverId: server.id, accountId: acme.id }),
    };
    serverRows = Object.fromEntries(
      Object.entries({
        ...allocationMatrix({
          serverId: server.id,
          accountId: acme.id,
          installSiteId: server.installSiteId,
          userId: user,
          stationId: server.stations[0]!.id,
          licenseFileContent: account.activationFiles[0]!.content,
        }),
        ...Object.fromEntries(
          Object.entries(all).filter(([key]) => Object.keys(billingMatrix(usage)).includes(key)),
        ),
        ...enforcementMatrix({ serverId: server.id, accountId: acme.id }),
      }).filter(([key]) => !key.startsWith('Entity.')),
    );
    const { createAccount: hooli } = await graphqlData<{ createAccount: { id: string } }>(
      url,
      'mutation($input: CreateAccountInput!) { createAccount(input: $input) { id } }',
      { input: { name: 'Hooli Resellers', garn: 'GARN-900077', kind: 'PARTNER' } },
      admin,
    );
    await graphqlData(
      url,
      'mutation($input: CreateSalesOrderInput!) { createSalesOrder(input: $input) { id } }',
      {
        input: {
          endUserAccountId: acme.id,
          soldToAccountId: hooli.id,
          licenseModel: 'SUBSCRIPTION',
          productVersion: '2020 R2',
          maintenancePaid: true,
          lines: [{ partNumber: 'SW-003-4.0-SV01', assignedQuantity: 1, pooledQuantity: 0 }],
        },
      },
      admin,
    );
    acmePartner = await tokenFor(stack.config, { roles: ['PARTNER'], accountId: hooli.id, sub: 'hooli' });
    // The gateway serves no `_entities`: entity references are the subgraphs' matrices.
    entries = Object.fromEntries(Object.entries(all).filter(([key]) => !key.startsWith('Entity.')));
    markers = [
      acme.id,
      server.id,
      user,
      server.stations[0]!.id,
      account.installSites[0]!.id,
      account.salesOrders[0]!.id,
      account.activationFiles[0]!.id,
      request.id,
      acme.name,
      'acme-cic',
      'acme-secret',
    ];
  });
  afterAll(async () => {
    await stack?.close();
    await env?.cleanup();
  });

  it('has a row for every root field and subscription of the public API', () => {
    const sdl = readFileSync(join(ROOT, 'gateway', 'api-schema.graphql'), 'utf8');
    expect(Object.keys(entries).sort()).toEqual(matrixKeys(sdl));
  });

  it('leaks nothing of Acme to any role of Initech, nor to anyone without a token', async () => {
    const problems = await runIsolationMatrix({ url: stack.gatewayUrl, entries, tokens, markers });
    expect(problems).toEqual([]);
  }, 180_000);

  it('answers Acme’s partner about Acme’s servers in allocation, billing and enforcement', async () => {
    const problems = await eventually(async () => {
      const found = await runOwnTenantReads({
        url: stack.gatewayUrl,
        entries: serverRows,
        tokens: { 'PARTNER of Acme': acmePartner },
        markers,
      });
      return found.length === 0 ? found : undefined;
    }, 15_000).catch(() =>
      runOwnTenantReads({
        url: stack.gatewayUrl,
        entries: serverRows,
        tokens: { 'PARTNER of Acme': acmePartner },
        markers,
      }),
    );
    expect(problems).toEqual([]);
  }, 120_000);
});
