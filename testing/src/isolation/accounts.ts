import { type MatrixEntry, entityOperation } from '../isolation-matrix.js';

/** Tenant B of the isolation matrix: one of each thing the accounts subgraph keeps. */
export interface ForeignAccount {
  accountId: string;
  garn: string;
  name: string;
  siteId: string;
  orderId: string;
  fileId: string;
  requestId: string;
  /** A webhook endpoint of B and one of its deliveries (see createForeignWebhook). */
  webhookEndpointId: string;
  webhookDeliveryId: string;
  apiKeyId: string;
}

/**
 * Gives tenant B a webhook endpoint and a (test) delivery, as the licensing team: `send` runs an
 * operation with the administrator's token and returns its data. `url` must pass the URL check
 * of the platform under test.
 */
export async function createForeignWebhook(
  send: <T>(query: string, variables: Record<string, unknown>) => Promise<T>,
  accountId: string,
  url: string,
): Promise<{ webhookEndpointId: string; webhookDeliveryId: string }> {
  const { createWebhookEndpoint } = await send<{ createWebhookEndpoint: { endpoint: { id: string } } }>(
    'mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { id } } }',
    { input: { accountId, url, eventTypes: ['SERVER_REGISTERED'], description: 'b-secret-hook' } },
  );
  const webhookEndpointId = createWebhookEndpoint.endpoint.id;
  const { sendWebhookTestEvent } = await send<{ sendWebhookTestEvent: { id: string } }>(
    'mutation($id: ID!) { sendWebhookTestEvent(id: $id) { id } }',
    { id: webhookEndpointId },
  );
  return { webhookEndpointId, webhookDeliveryId: sendWebhookTestEvent.id };
}

/** Creates an API key of the account (the licensing team may, for any account): its id for the matrix. */
export const CREATE_MATRIX_API_KEY = `mutation($accountId: ID!) {
  createApiKey(input: { accountId: $accountId, name: "matrix", roles: [CUSTOMER_ADMIN] }) { apiKey { id } } }`;

const GENERATE_FILE = `mutation($input: GenerateActivationFileInput!) { generateActivationFile(input: $input) { id content } }`;
const DEACTIVATE_FILE = `mutation($id: ID!) { deactivateActivationFile(id: $id) { id active } }`;
const SUBMIT_REQUEST = `mutation($input: ActivationFileRequestInput!) { submitActivationFileRequest(input: $input) { id } }`;
const ATTACH_TO_REQUEST = `mutation($input: ActivationFileRequestAttachmentInput!) {
  addActivationFileRequestAttachment(input: $input) { fileName } }`;
const ASK_ON_REQUEST = `mutation($id: ID!) { askActivationFileRequestInformation(id: $id, message: "intrusion") { id } }`;

function fileInput(siteId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    installSiteId: siteId,
    product: 'PureConnect CIC',
    productVersion: '2020 R1',
    licenseType: 'PRODUCTION',
    machine: { hostId: '00-15-5D-0B-0B-0B', machineName: 'intruder', systemType: 'S' },
    serverItem: 'SW-003-4.0-SV01',
    items: [],
    ...overrides,
  };
}

/**
 * The accounts subgraph's rows of the tenant-isolation matrix: every root field and entity, aimed
 * at tenant B (used by the subgraph's own test and, without the entities, through the gateway).
 */
export function accountsMatrix(b: ForeignAccount): Record<string, MatrixEntry> {
  const id = (query: string, value: string): MatrixEntry => ({
    foreign: { query, variables: { id: value } },
    adminSees: true,
  });
  const m = (query: string, variables: Record<string, unknown> = {}): MatrixEntry => ({
    foreign: { query, variables },
  });
  return {
    'Query.account': id('query($id: ID!) { account(id: $id) { id name } }', b.accountId),
    'Query.accounts': {
      foreign: { query: '{ accounts { id name } }' },
      answer: 'own-only',
      adminSees: true,
    },
    'Query.accountsConnection': {
      foreign: { query: '{ accountsConnection(first: 200) { edges { cursor node { id name } } } }' },
      answer: 'own-only',
      adminSees: true,
    },
    'Query.activationFilesConnection': id(
      'query($id: ID!) { activationFilesConnection(accountId: $id) { edges { node { id } } } }',
      b.accountId,
    ),
    'Query.activationFileRequestsConnection': {
      foreign: {
        query: '{ activationFileRequestsConnection(first: 200) { edges { node { id subject } } } }',
      },
      answer: 'own-only',
      adminSees: true,
    },
    'Query.activationFile': id('query($id: ID!) { activationFile(id: $id) { id content } }', b.fileId),
    'Query.activationFiles': id('query($id: ID!) { activationFiles(accountId: $id) { id } }', b.accountId),
    'Query.installSite': id('query($id: ID!) { installSite(id: $id) { id name } }', b.siteId),
    'Query.partCatalog': { foreign: { query: '{ partCatalog { partNumber } }' }, answer: 'public' },
    'Query.activationFileRequest': id(
      'query($id: ID!) { activationFileRequest(id: $id) { id subject } }',
      b.requestId,
    ),
    'Query.activationFileRequests': {
      foreign: { query: '{ activationFileRequests { id subject } }' },
      answer: 'own-only',
      adminSees: true,
    },
    'Query.apiKeys': id(
      'query($id: ID!) { apiKeys(accountId: $id) { edges { node { id accountId name } } } }',
      b.accountId,
    ),
    'Mutation.createApiKey': m(
      'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }',
      { input: { accountId: b.accountId, name: 'Intruder', roles: ['SUPERVISOR'] } },
    ),
    'Mutation.revokeApiKey': m('mutation($id: ID!) { revokeApiKey(id: $id) { id } }', { id: b.apiKeyId }),
    'Query.auditLog': {
      foreign: {
        query: 'query($id: ID!) { auditLog(accountId: $id) { edges { node { id field } } } }',
        variables: { id: b.accountId },
      },
      adminSees: 'answers',
    },
    'Query.auditLogCsv': {
      foreign: { query: 'query($id: ID!) { auditLogCsv(accountId: $id) }', variables: { id: b.accountId } },
      adminSees: 'answers',
    },
    'Query.salesOrder': id('query($id: ID!) { salesOrder(id: $id) { id lines { partNumber } } }', b.orderId),
    'Query.webhookEndpoints': id(
      'query($id: ID!) { webhookEndpoints(accountId: $id) { id accountId description } }',
      b.accountId,
    ),
    'Query.webhookEndpoint': id(
      'query($id: ID!) { webhookEndpoint(id: $id) { id accountId description } }',
      b.webhookEndpointId,
    ),
    'Query.webhookDeliveries': id(
      'query($id: ID!) { webhookDeliveries(endpointId: $id) { edges { node { id payload } } } }',
      b.webhookEndpointId,
    ),
    'Mutation.createWebhookEndpoint': m(
      'mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret } }',
      {
        input: {
          accountId: b.accountId,
          url: 'https://93.184.215.14/intruder',
          eventTypes: ['SERVER_REGISTERED'],
        },
      },
    ),
    'Mutation.updateWebhookEndpoint': m(
      'mutation($id: ID!) { updateWebhookEndpoint(id: $id, input: { description: "intrusion" }) { id } }',
      { id: b.webhookEndpointId },
    ),
    'Mutation.deleteWebhookEndpoint': m('mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }', {
      id: b.webhookEndpointId,
    }),
    'Mutation.rotateWebhookSecret': m('mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret } }', {
      id: b.webhookEndpointId,
    }),
    'Mutation.sendWebhookTestEvent': m('mutation($id: ID!) { sendWebhookTestEvent(id: $id) { id } }', {
      id: b.webhookEndpointId,
    }),
    'Mutation.redeliverWebhookDelivery': m(
      'mutation($id: ID!) { redeliverWebhookDelivery(id: $id) { id payload } }',
      { id: b.webhookDeliveryId },
    ),
    'Mutation.createAccount': m(
      'mutation($input: CreateAccountInput!) { createAccount(input: $input) { id } }',
      { input: { name: 'Intruder', garn: 'GARN-INTRUDER', kind: 'CUSTOMER' } },
    ),
    'Mutation.generateActivationFile': m(GENERATE_FILE, {
      input: fileInput(b.siteId, {
        machine: { hostId: 'X1', machineName: 'intruder', systemType: 'S' },
      }),
    }),
    'Mutation.updateActivationFile': m(
      'mutation($id: ID!, $input: UpdateActivationFileInput!) { updateActivationFile(id: $id, input: $input) { id } }',
      { id: b.fileId, input: { product: 'PureConnect CIC' } },
    ),
    'Mutation.deactivateActivationFile': m(DEACTIVATE_FILE, { id: b.fileId }),
    'Mutation.downloadActivationFile': m(
      'mutation($id: ID!) { downloadActivationFile(id: $id) { content } }',
      { id: b.fileId },
    ),
    'Mutation.createInstallSite': m(
      'mutation($input: CreateInstallSiteInput!) { createInstallSite(input: $input) { id } }',
      { input: { accountId: b.accountId, name: 'Intruder' } },
    ),
    'Mutation.updateInstallSite': m(
      'mutation($id: ID!, $input: UpdateInstallSiteInput!) { updateInstallSite(id: $id, input: $input) { id } }',
      { id: b.siteId, input: { name: 'Intruder' } },
    ),
    'Mutation.deactivateInstallSite': m('mutation($id: ID!) { deactivateInstallSite(id: $id) { id } }', {
      id: b.siteId,
    }),
    'Mutation.submitActivationFileRequest': m(SUBMIT_REQUEST, {
      input: {
        firstName: 'Eve',
        lastName: 'Intruder',
        endUserAccount: b.name,
        soldToAccount: b.name,
        garn: b.garn,
        requestType: 'QUESTION',
        subject: 'intrusion',
        description: 'intrusion',
        corporateEmail: 'eve@intruder.example',
        confirmCorporateEmail: 'eve@intruder.example',
        workPhone: '+44 20 7946 0002',
        employer: 'Intruder Ltd',
      },
    }),
    'Mutation.addActivationFileRequestAttachment': m(ATTACH_TO_REQUEST, {
      input: { requestId: b.requestId, fileName: 'x.txt', contentBase64: 'eA==' },
    }),
    'Mutation.answerActivationFileRequest': m(
      'mutation($id: ID!) { answerActivationFileRequest(id: $id, answer: "no") { id } }',
      { id: b.requestId },
    ),
    'Mutation.askActivationFileRequestInformation': m(ASK_ON_REQUEST, { id: b.requestId }),
    'Mutation.replyToActivationFileRequest': m(
      'mutation($id: ID!) { replyToActivationFileRequest(id: $id, message: "intrusion") { id } }',
      { id: b.requestId },
    ),
    'Mutation.fulfillActivationFileRequest': m(
      'mutation($id: ID!, $file: GenerateActivationFileInput!) { fulfillActivationFileRequest(id: $id, file: $file) { id } }',
      { id: b.requestId, file: fileInput(b.siteId) },
    ),
    'Mutation.createSalesOrder': m(
      'mutation($input: CreateSalesOrderInput!) { createSalesOrder(input: $input) { id } }',
      {
        input: {
          endUserAccountId: b.accountId,
          licenseModel: 'PERPETUAL',
          lines: [{ partNumber: 'SW-001-4.0-AL02', assignedQuantity: 1, pooledQuantity: 0 }],
        },
      },
    ),
    'Mutation.updateSalesOrderMaintenance': m(
      'mutation($id: ID!) { updateSalesOrderMaintenance(id: $id, maintenancePaid: false) { id } }',
      { id: b.orderId },
    ),
    'Mutation.upgradeSoftware': m(
      'mutation($input: UpgradeSoftwareInput!) { upgradeSoftware(input: $input) { id } }',
      { input: { accountId: b.accountId, productVersion: '2020 R2', partNumbers: ['SW-001-4.0-AL02'] } },
    ),
    'Entity.Account': {
      foreign: entityOperation('Account', { id: b.accountId }, 'id name'),
      adminSees: true,
    },
    'Entity.InstallSite': {
      foreign: entityOperation('InstallSite', { id: b.siteId }, 'id name'),
      adminSees: true,
    },
    'Entity.ActivationFile': {
      foreign: entityOperation('ActivationFile', { id: b.fileId }, 'id content'),
      adminSees: true,
    },
    'Entity.SalesOrder': {
      foreign: entityOperation('SalesOrder', { id: b.orderId }, 'id lines { partNumber }'),
      adminSees: true,
    },
    'Entity.ActivationFileRequest': {
      foreign: entityOperation('ActivationFileRequest', { id: b.requestId }, 'id messages { body }'),
      adminSees: true,
    },
  };
}
