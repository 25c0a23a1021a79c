import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { generateSigningKeyPair } from '@lic/shared';
import {
  type TestEnvironment,
  apiAt,
  eventually,
  graphqlData,
  seed,
  testEnvironment,
  tokenFor,
} from '@lic/testing';
import { seedDemoData, startStack, type Stack } from '@lic/scripts';

/**
 * The "done when", on the real platform (four subgraphs and the gateway, in-process):
 * a supervisor subscribes through the gateway with its token and receives live statistics with
 * the account name (owned by the accounts subgraph) attached, only for its own account.
 */
const STATISTICS = `subscription($id: ID!) {
  licenseStatisticsChanged(serverId: $id) {
    server { id name account { id name } }
    statistics { key concurrentInUse }
    at
  }
}`;

interface Update {
  licenseStatisticsChanged: {
    server: { id: string; name: string; account: { id: string; name: string } };
    statistics: Array<{ key: string; concurrentInUse: number }>;
    at: string;
  };
}

interface Received {
  payloads: Array<{
    data?: Update | null;
    errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
  }>;
  completed: boolean;
  stop(): void;
}

function watch(client: Client, serverId: string): Received {
  const received: Received = { payloads: [], completed: false, stop: () => undefined };
  received.stop = client.subscribe<Update>(
    { query: STATISTICS, variables: { id: serverId } },
    {
      next: (value) => received.payloads.push(value as Received['payloads'][number]),
      error: () => (received.completed = true),
      complete: () => (received.completed = true),
    },
  );
  return received;
}

const inUse = (update: Update | null | undefined, key: string) =>
  update?.licenseStatisticsChanged.statistics.find((s) => s.key.startsWith(key))?.concurrentInUse;

describe('live licence statistics through the gateway (real platform)', () => {
  const keys = generateSigningKeyPair();
  let env: TestEnvironment;
  let stack: Stack;
  let admin: string;
  let own: { accountId: string; serverId: string; userId: string; stationId: string };
  let accountName: string;
  let outsiderAccountId: string;
  const clients: Client[] = [];
  const connect = (token: string) => {
    const client = createClient({
      url: stack.gatewayUrl.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      retryAttempts: 0,
    });
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    env = testEnvironment({
      env: { LICENSE_SIGNING_PRIVATE_KEY: keys.privateKeyPem, LICENSE_SIGNING_PUBLIC_KEY: keys.publicKeyPem },
    });
    stack = await startStack(env.config);
    admin = await tokenFor(stack.config, { roles: ['LICENSING_ADMIN'], certified: true });
    const seeded = await seedDemoData(stack.gatewayUrl, admin);
    // A server of our own at a seeded account and install site, licensed by the test.
    const seededServer = seeded.servers[0]!;
    const account = seeded.accounts.find((a) => a.id === seededServer.accountId)!;
    accountName = account.name;
    outsiderAccountId = seeded.accounts.find((a) => a.id !== account.id)!.id;
    const { server: site } = await graphqlData<{ server: { installSiteId: string } }>(
      stack.gatewayUrl,
      'query($id: ID!) { server(id: $id) { installSiteId } }',
      { id: seededServer.id },
      admin,
    );
    const made = await seed(apiAt(stack.gatewayUrl, admin), { privateKeyPem: keys.privateKeyPem })
      .use({ accountId: account.id, siteId: site.installSiteId })
      .server({ name: 'e2e-cic-1' })
      .file({
        hostId: '00-15-5D-00-0E-2E',
        keys: { I3_ACCESS_CLIENT_CONCURRENT: 5, I3_LICENSE_BASIC_STATION: 5 },
      })
      .users(['agent-1'], { licenses: ['I3_ACCESS_CLIENT'] })
      .station({ name: 'ws-1' });
    own = {
      accountId: account.id,
      serverId: made.serverId,
      userId: made.userIds['agent-1'],
      stationId: made.stationId,
    };
  }, 120_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await stack?.close();
    await env?.cleanup();
  });

  it('streams the statistics of its own server, with the account name from the accounts subgraph, shared upstream', async () => {
    const supervisor = await tokenFor(stack.config, {
      sub: 'sue',
      roles: ['SUPERVISOR'],
      accountId: own.accountId,
    });
    const first = watch(connect(supervisor), own.serverId);
    await eventually(() => first.payloads.length >= 1, 10_000);
    expect(first.payloads[0]!.errors).toBeUndefined();
    expect(first.payloads[0]!.data!.licenseStatisticsChanged.server).toEqual({
      id: own.serverId,
      name: 'e2e-cic-1',
      account: { id: own.accountId, name: accountName },
    });

    // A CIC server logs an agent on: the change is pushed with the account name attached.
    const serverToken = await tokenFor(stack.config, { roles: ['SERVER'], serverId: own.serverId });
    await graphqlData(
      stack.gatewayUrl,
      'mutation($input: LogonInput!) { logon(input: $input) { acquired } }',
      {
        input: {
          serverId: own.serverId,
          userId: own.userId,
          stationId: own.stationId,
          application: 'Interaction Connect',
        },
      },
      serverToken,
    );
    await eventually(() => inUse(first.payloads.at(-1)?.data, 'I3_ACCESS_CLIENT') === 1, 10_000);
    expect(first.payloads.at(-1)!.data!.licenseStatisticsChanged.server.account.name).toBe(accountName);

    // A second supervisor of the account joins: the current state at once, over the same upstream.
    const colleague = await tokenFor(stack.config, {
      sub: 'sam',
      roles: ['SUPERVISOR'],
      accountId: own.accountId,
    });
    const second = watch(connect(colleague), own.serverId);
    await eventually(() => second.payloads.length >= 1, 10_000);
    expect(inUse(second.payloads[0]!.data, 'I3_ACCESS_CLIENT')).toBe(1);
    const metrics = await (await fetch(new URL('/metrics', stack.gatewayUrl))).text();
    expect(metrics).toMatch(/^gateway_subscriptions_open 2$/m);
    expect(metrics).toMatch(/^gateway_upstream_subscriptions 1$/m);
    first.stop();
    second.stop();
  });

  it("refuses another account's server with FORBIDDEN from the allocation subgraph", async () => {
    const outsider = await tokenFor(stack.config, { roles: ['SUPERVISOR'], accountId: outsiderAccountId });
    const refused = watch(connect(outsider), own.serverId);
    await eventually(() => refused.completed, 10_000);
    expect(refused.payloads).toEqual([
      { data: null, errors: [expect.objectContaining({ extensions: { code: 'FORBIDDEN' } })] },
    ]);
  });
});
