import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  graphqlRequest,
  matrixKeys,
  runIsolationMatrix,
  describeEachDatabase,
  CREATE_MATRIX_API_KEY,
  accountsMatrix,
  createForeignWebhook,
} from '@lic/testing';
import {
  DEACTIVATE,
  FILE_FIELDS,
  GENERATE,
  type Harness,
  SUMMARY,
  accountWithOrder,
  productionInput,
  startAccounts,
} from '../../test/harness.js';

interface World {
  partner: { accountId: string };
  a: { accountId: string; siteId: string; orderId: string; fileId: string };
  b: {
    accountId: string;
    siteId: string;
    orderId: string;
    fileId: string;
    requestId: string;
    webhookEndpointId: string;
    webhookDeliveryId: string;
  };
}

const SUBMIT = `mutation($input: ActivationFileRequestInput!) { submitActivationFileRequest(input: $input) { id } }`;
const ATTACH = `mutation($input: ActivationFileRequestAttachmentInput!) {
  addActivationFileRequestAttachment(input: $input) { fileName } }`;
const ASK = `mutation($id: ID!) { askActivationFileRequestInformation(id: $id, message: "b-secret-question") { id } }`;

/** B asks a question, attaches a file, and the licensing team answers with a question of its own. */
async function requestOfB(h: Harness, accountId: string): Promise<string> {
  const b = await h.token({ sub: 'b-admin', roles: ['CUSTOMER_ADMIN'], accountId, certified: true });
  const { submitActivationFileRequest } = await h.gql<{ submitActivationFileRequest: { id: string } }>(
    b,
    SUBMIT,
    {
      input: {
        firstName: 'Bea',
        lastName: 'Bee',
        endUserAccount: 'Customer B',
        soldToAccount: 'Customer B',
        garn: 'GARN-B',
        requestType: 'QUESTION',
        subject: 'b-secret-subject',
        description: 'b-secret-description',
        corporateEmail: 'bea@customer-b.example',
        confirmCorporateEmail: 'bea@customer-b.example',
        workPhone: '+44 20 7946 0001',
        employer: 'Customer B Ltd',
      },
    },
  );
  const id = submitActivationFileRequest.id;
  await h.gql(b, ATTACH, {
    input: {
      requestId: id,
      fileName: 'b-secret.txt',
      contentBase64: Buffer.from('b-secret').toString('base64'),
    },
  });
  await h.gql(h.admin, ASK, { id });
  return id;
}

const LINES = [
  { partNumber: 'SW-001-4.0-AL02', assignedQuantity: 10 },
  { partNumber: 'SW-003-4.0-SV01', assignedQuantity: 3 },
];

describeEachDatabase('tenant isolation', (database) => {
  let h: Harness;
  let w: World;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    h = await startAccounts(database);
    const partner = await accountWithOrder(h, { name: 'Partner P', garn: 'GARN-P', kind: 'PARTNER' });
    const a = await accountWithOrder(h, {
      name: 'Customer A',
      garn: 'GARN-A',
      soldToAccountId: partner.accountId,
      lines: LINES,
    });
    const b = await accountWithOrder(h, { name: 'Customer B', garn: 'GARN-B', lines: LINES });
    const file = async (siteId: string, machineName: string) =>
      (
        await h.gql<{ generateActivationFile: { id: string } }>(h.admin, GENERATE, {
          input: productionInput(siteId, { machine: { hostId: machineName, machineName, systemType: 'S' } }),
        })
      ).generateActivationFile.id;
    w = {
      partner,
      a: { ...a, orderId: a.orderId!, fileId: await file(a.siteId, 'a-cic') },
      b: {
        ...b,
        orderId: b.orderId!,
        fileId: await file(b.siteId, 'b-cic'),
        requestId: await requestOfB(h, b.accountId),
        ...(await createForeignWebhook(
          <T>(query: string, variables: Record<string, unknown>) => h.gql<T>(h.admin, query, variables),
          b.accountId,
          'https://93.184.215.14/b-hook',
        )),
      },
    };
    tokens['LICENSING_ADMIN'] = h.admin;
    tokens['PARTNER'] = await h.token({
      sub: 'p-engineer',
      roles: ['PARTNER'],
      accountId: partner.accountId,
      certified: true,
    });
    tokens['CUSTOMER_ADMIN'] = await h.token({
      sub: 'a-admin',
      roles: ['CUSTOMER_ADMIN'],
      accountId: a.accountId,
      certified: true,
    });
    tokens['SUPERVISOR'] = await h.token({
      sub: 'a-supervisor',
      roles: ['SUPERVISOR'],
      accountId: a.accountId,
      certified: true,
    });
    tokens['SERVER'] = await h.token({ sub: 'server-x', roles: ['SERVER'], serverId: 'server-x' });
  });
  afterAll(() => h.close());

  it('lists only the accounts each role may see', async () => {
    const names = async (role: string) =>
      (
        await h.gql<{ accounts: Array<{ name: string }> }>(tokens[role]!, '{ accounts { name } }')
      ).accounts.map((a) => a.name);
    expect(await names('LICENSING_ADMIN')).toEqual(['Customer A', 'Customer B', 'Partner P']);
    expect(await names('PARTNER')).toEqual(['Customer A', 'Partner P']);
    expect(await names('CUSTOMER_ADMIN')).toEqual(['Customer A']);
    expect(await names('SUPERVISOR')).toEqual(['Customer A']);
    expect(await names('SERVER')).toEqual([]);
  });

  it.each(['PARTNER', 'CUSTOMER_ADMIN', 'SUPERVISOR', 'SERVER'])(
    "never gives a %s another tenant's data",
    async (role) => {
      const token = tokens[role]!;
      const reads: Array<[string, Record<string, unknown>]> = [
        ['query($id: ID!) { account(id: $id) { name installSites { id } } }', { id: w.b.accountId }],
        [`query($id: ID!) { activationFile(id: $id) { ${FILE_FIELDS} } }`, { id: w.b.fileId }],
        ['query($id: ID!) { activationFiles(accountId: $id) { id content } }', { id: w.b.accountId }],
        ['query($id: ID!) { installSite(id: $id) { name } }', { id: w.b.siteId }],
        ['query($id: ID!) { salesOrder(id: $id) { orderNumber lines { partNumber } } }', { id: w.b.orderId }],
        [SUMMARY, { id: w.b.accountId }],
        ['mutation($id: ID!) { downloadActivationFile(id: $id) { content } }', { id: w.b.fileId }],
      ];
      for (const [query, variables] of reads) {
        const result = await graphqlRequest(h.server.url, query, variables, token);
        expect(result.errors?.[0]?.extensions?.['code']).toMatch(/^(FORBIDDEN|NOT_FOUND)$/);
        expect(JSON.stringify(result.data ?? null)).not.toMatch(/b-cic|Customer B|I3LIC/);
      }
      const writes: Array<[string, Record<string, unknown>]> = [
        [
          GENERATE,
          {
            input: productionInput(w.b.siteId, {
              items: [{ partNumber: 'SW-001-4.0-AL02', assignedQuantity: 1 }],
            }),
          },
        ],
        [DEACTIVATE, { id: w.b.fileId }],
        ['mutation($id: ID!) { deactivateInstallSite(id: $id) { id } }', { id: w.b.siteId }],
        [
          'mutation($input: CreateInstallSiteInput!) { createInstallSite(input: $input) { id } }',
          { input: { accountId: w.b.accountId, name: 'Intruder' } },
        ],
      ];
      for (const [query, variables] of writes) {
        const error = await h.fail(token, query, variables);
        expect(error.extensions?.['code']).toMatch(/^(FORBIDDEN|NOT_FOUND)$/);
      }
      // Nothing changed for B.
      const { account } = await h.gql<{
        account: {
          installSites: Array<{ active: boolean }>;
          activationFiles: Array<{ active: boolean }>;
          summary: Array<{ used: number }>;
        };
      }>(
        h.admin,
        `{ account(id: "${w.b.accountId}") { installSites { active } activationFiles { active } summary { used } } }`,
      );
      expect(account).toEqual({
        installSites: [{ active: true }],
        activationFiles: [{ active: true }],
        summary: [{ used: 0 }, { used: 1 }],
      });
    },
  );

  it('resolves entity references from other subgraphs only for visible tenants', async () => {
    const entities = `query($r: [_Any!]!) { _entities(representations: $r) {
      ... on Account { name } ... on InstallSite { name } ... on ActivationFile { fileName } } }`;
    const representations = [
      { __typename: 'Account', id: w.b.accountId },
      { __typename: 'InstallSite', id: w.b.siteId },
      { __typename: 'ActivationFile', id: w.b.fileId },
      { __typename: 'Account', id: w.a.accountId },
      { __typename: 'InstallSite', id: w.a.siteId },
      { __typename: 'ActivationFile', id: w.a.fileId },
    ];
    const seen = async (role: string) =>
      (await h.gql<{ _entities: unknown[] }>(tokens[role]!, entities, { r: representations }))._entities;
    const visibleA = [{ name: 'Customer A' }, { name: 'Customer A HQ' }, { fileName: 'a-cic.I3Lic' }];
    expect(await seen('LICENSING_ADMIN')).toEqual([
      { name: 'Customer B' },
      { name: 'Customer B HQ' },
      { fileName: 'b-cic.I3Lic' },
      ...visibleA,
    ]);
    for (const role of ['PARTNER', 'CUSTOMER_ADMIN', 'SUPERVISOR'])
      expect(await seen(role)).toEqual([null, null, null, ...visibleA]);
    expect(await seen('SERVER')).toEqual([null, null, null, null, null, null]);
  });

  it('lets a partner manage the accounts it sold to, and a supervisor only look', async () => {
    const partnerView = await h.gql<{
      account: {
        name: string;
        activationFiles: Array<{ id: string }>;
        salesOrders: Array<{ soldToAccount: { name: string } }>;
      };
    }>(
      tokens['PARTNER']!,
      `{ account(id: "${w.a.accountId}") { name activationFiles { id } salesOrders { soldToAccount { name } } } }`,
    );
    expect(partnerView.account).toEqual({
      name: 'Customer A',
      activationFiles: [{ id: w.a.fileId }],
      salesOrders: [{ soldToAccount: { name: 'Partner P' } }],
    });
    const generated = await h.gql<{ generateActivationFile: { id: string } }>(tokens['PARTNER']!, GENERATE, {
      input: productionInput(w.a.siteId, {
        machine: { hostId: 'P1', machineName: 'partner-built', systemType: 'S' },
      }),
    });
    // The customer sees the order but not the partner's own account.
    const customerView = await h.gql<{
      account: { salesOrders: Array<{ soldToAccountId: string; soldToAccount: null }> };
    }>(
      tokens['CUSTOMER_ADMIN']!,
      `{ account(id: "${w.a.accountId}") { salesOrders { soldToAccountId soldToAccount { name } } } }`,
    );
    expect(customerView.account.salesOrders).toEqual([
      { soldToAccountId: w.partner.accountId, soldToAccount: null },
    ]);
    const look = await h.gql<{ activationFile: { id: string } }>(
      tokens['SUPERVISOR']!,
      `{ activationFile(id: "${generated.generateActivationFile.id}") { id } }`,
    );
    expect(look.activationFile.id).toBe(generated.generateActivationFile.id);
    expect(
      (await h.fail(tokens['SUPERVISOR']!, DEACTIVATE, { id: generated.generateActivationFile.id }))
        .extensions?.['code'],
    ).toBe('FORBIDDEN');
    await h.gql(tokens['CUSTOMER_ADMIN']!, DEACTIVATE, { id: generated.generateActivationFile.id });
  });

  // Hole 1 of issue 15: SalesOrder and ActivationFileRequest carry a key but had no reference
  // resolver, so `_entities` handed anyone (no token at all) another tenant's order lines and
  // request messages and attachments.
  it('resolves SalesOrder and ActivationFileRequest references only for visible tenants, and never without a token', async () => {
    const entities = `query($r: [_Any!]!) { _entities(representations: $r) {
      ... on SalesOrder { id lines { partNumber assignedQuantity } }
      ... on ActivationFileRequest { id messages { body } attachments { fileName content } } } }`;
    const foreign = [
      { __typename: 'SalesOrder', id: w.b.orderId },
      { __typename: 'ActivationFileRequest', id: w.b.requestId },
    ];
    const anonymous = await graphqlRequest(h.server.url, entities, { r: foreign });
    expect(anonymous.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
    expect(JSON.stringify(anonymous.data ?? null)).not.toMatch(/b-secret|SW-001/);
    for (const role of ['PARTNER', 'CUSTOMER_ADMIN', 'SUPERVISOR', 'SERVER']) {
      const result = await graphqlRequest<{ _entities: unknown[] }>(
        h.server.url,
        entities,
        { r: foreign },
        tokens[role],
      );
      expect(result.data?._entities).toEqual([null, null]);
      expect(JSON.stringify(result)).not.toMatch(/b-secret|SW-001/);
    }
    const admin = await h.gql<{ _entities: Array<Record<string, unknown>> }>(h.admin, entities, {
      r: foreign,
    });
    expect(admin._entities).toEqual([
      expect.objectContaining({
        lines: expect.arrayContaining([expect.objectContaining({ partNumber: 'SW-001-4.0-AL02' })]),
      }),
      expect.objectContaining({
        messages: [{ body: 'b-secret-question' }],
        attachments: [expect.objectContaining({ fileName: 'b-secret.txt' })],
      }),
    ]);
  });

  it('the isolation matrix: no role of another tenant, and nobody without a token, gets anything of B', async () => {
    const sdl = readFileSync(join(__dirname, '..', '..', 'schema.graphql'), 'utf8');
    const { createApiKey } = await h.gql<{ createApiKey: { apiKey: { id: string } } }>(
      h.admin,
      CREATE_MATRIX_API_KEY,
      { accountId: w.b.accountId },
    );
    const entries = accountsMatrix({
      ...w.b,
      garn: 'GARN-B',
      name: 'Customer B',
      apiKeyId: createApiKey.apiKey.id,
    });
    expect(Object.keys(entries).sort()).toEqual(matrixKeys(sdl));
    const problems = await runIsolationMatrix({
      url: h.server.url,
      entries,
      tokens: tokens as Record<string, string>,
      // An account claim counts for people only: a machine token naming B's account sees nothing of it.
      extra: {
        'SERVER naming B’s account': await h.token({
          sub: 'server-b',
          roles: ['SERVER'],
          serverId: 'server-b',
          accountId: w.b.accountId,
        }),
      },
      markers: [
        w.b.accountId,
        w.b.siteId,
        w.b.orderId,
        w.b.fileId,
        w.b.requestId,
        'Customer B',
        'b-cic',
        'b-secret',
      ],
    });
    expect(problems).toEqual([]);
  });

  it('answers UNAUTHENTICATED without a token', async () => {
    const result = await graphqlRequest(h.server.url, '{ accounts { id } }');
    expect(result.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
  });
});
