import { type Clock, type DomainEvent, InProcessTransport, ManualClock, type TokenClaims } from '@lic/shared';
import {
  type GraphQLFailure,
  type TestDatabase,
  collectEvents,
  gqlData,
  gqlFailure,
  testEnvironment,
  tokenFor,
} from '@lic/testing';
import { type AccountsServer, createServer } from '../src/server.js';

export { type GraphQLFailure };

export interface Harness {
  server: AccountsServer;
  clock: ManualClock;
  /** The bus the subgraph publishes its domain events on. */
  transport: InProcessTransport;
  /** Every event published on `topic` from now on (collected as they arrive). */
  events(topic: string): Promise<DomainEvent[]>;
  admin: string;
  token(claims: Partial<TokenClaims> & Pick<TokenClaims, 'roles'>): Promise<string>;
  /** The data, or throws with the first error (its code in the message) for unexpected failures. */
  gql<T = Record<string, unknown>>(
    token: string,
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<T>;
  /** The first error of an operation that must fail. */
  fail(token: string, query: string, variables?: Record<string, unknown>): Promise<GraphQLFailure>;
  close(): Promise<void>;
}

/** Starts the accounts subgraph on a fresh SQLite or MariaDB database, with a manual clock. */
export async function startAccounts(
  database: TestDatabase,
  clock: Clock = new ManualClock('2020-05-01T00:00:00.000Z'),
): Promise<Harness> {
  const env = testEnvironment({ database, env: { LOG_LEVEL: 'error' } });
  const manual = clock instanceof ManualClock ? clock : new ManualClock();
  const transport = new InProcessTransport();
  const server = await createServer(env.config, { clock, transport });
  const admin = await tokenFor(env.config, {
    sub: 'licensing-team',
    roles: ['LICENSING_ADMIN'],
    certified: true,
  });
  return {
    server,
    clock: manual,
    transport,
    events: (topic) => collectEvents(transport, topic),
    admin,
    token: (claims) => tokenFor(env.config, claims),
    gql: <T>(token: string, query: string, variables: Record<string, unknown> = {}) =>
      gqlData<T>(server.url, query, variables, token),
    fail: (token, query, variables = {}) => gqlFailure(server.url, query, variables, token),
    close: async () => {
      await server.close();
      await transport.close();
      await env.cleanup();
    },
  };
}

export const CREATE_ACCOUNT = `mutation($input: CreateAccountInput!) { createAccount(input: $input) { id name garn kind } }`;
export const CREATE_SITE = `mutation($input: CreateInstallSiteInput!) { createInstallSite(input: $input) { id name active } }`;
export const CREATE_ORDER = `mutation($input: CreateSalesOrderInput!) {
  createSalesOrder(input: $input) { id orderNumber licenseModel lines { partNumber assignedQuantity pooledQuantity keys { key quantity } } }
}`;
export const FILE_FIELDS = `id fileName content licenseType licenseModel active generatedAt expiresAt reRegisterBy generatedBy
  productVersion provideSwitchoverLater keys { key quantity } installSite { id name }
  machine { hostId machineName serverItem } switchover { hostId machineName serverItem } virtualCloud { rampDate gracePeriodDays }
  items { role partNumber assignedQuantity pooledQuantity taken }`;
export const GENERATE = `mutation($input: GenerateActivationFileInput!) { generateActivationFile(input: $input) { ${FILE_FIELDS} } }`;
export const DEACTIVATE = `mutation($id: ID!, $reason: String) { deactivateActivationFile(id: $id, reason: $reason) { ${FILE_FIELDS} } }`;
export const SUMMARY = `query($id: ID!) { account(id: $id) { id summary { partNumber licenseModel ordered used remaining assignedRemaining pooledRemaining developmentFilesUsed } } }`;

export interface Line {
  partNumber: string;
  assignedQuantity: number;
  pooledQuantity?: number;
}

/** An account with one install site and (optionally) one order: the usual starting point. */
export async function accountWithOrder(
  h: Harness,
  options: {
    name: string;
    garn: string;
    kind?: 'CUSTOMER' | 'PARTNER';
    licenseModel?: 'PERPETUAL' | 'SUBSCRIPTION';
    lines?: Line[];
    order?: Record<string, unknown>;
    soldToAccountId?: string;
  },
): Promise<{ accountId: string; siteId: string; orderId: string | null }> {
  const { createAccount } = await h.gql<{ createAccount: { id: string } }>(h.admin, CREATE_ACCOUNT, {
    input: { name: options.name, garn: options.garn, kind: options.kind ?? 'CUSTOMER' },
  });
  const { createInstallSite } = await h.gql<{ createInstallSite: { id: string } }>(h.admin, CREATE_SITE, {
    input: { accountId: createAccount.id, name: `${options.name} HQ`, address: '1 Main Street' },
  });
  let orderId: string | null = null;
  if (options.lines) {
    const { createSalesOrder } = await h.gql<{ createSalesOrder: { id: string } }>(h.admin, CREATE_ORDER, {
      input: {
        endUserAccountId: createAccount.id,
        licenseModel: options.licenseModel ?? 'PERPETUAL',
        maintenancePaid: true,
        ...(options.soldToAccountId ? { soldToAccountId: options.soldToAccountId } : {}),
        ...options.order,
        lines: options.lines.map((l) => ({ pooledQuantity: 0, ...l })),
      },
    });
    orderId = createSalesOrder.id;
  }
  return { accountId: createAccount.id, siteId: createInstallSite.id, orderId };
}

/** A production file input on the given site; override anything. */
export function productionInput(
  siteId: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    installSiteId: siteId,
    product: 'PureConnect CIC',
    productVersion: '2020 R1',
    licenseType: 'PRODUCTION',
    machine: {
      hostId: '00-15-5D-01-02-03',
      machineName: 'cic-primary',
      systemType: 'Media Server Based',
      mailConnector: 'Microsoft Exchange',
    },
    serverItem: 'SW-003-4.0-SV01',
    items: [],
    ...overrides,
  };
}
