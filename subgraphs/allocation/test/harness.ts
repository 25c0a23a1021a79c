import { randomUUID } from 'node:crypto';
import {
  type DomainEvent,
  type EventTransport,
  type LicenseFileContent,
  type Role,
  InProcessTransport,
  ManualClock,
  type SigningKeyPair,
  generateSigningKeyPair,
  signLicenseFile,
  Topics,
} from '@lic/shared';
import {
  type GraphQLFailure,
  GraphQLRequestError,
  type TestDatabase,
  type TestEnvironment,
  type Seed,
  eventually,
  gqlData,
  gqlFailure,
  graphqlRequest,
  licenceFileContent,
  seed,
  testEnvironment,
  tokenFor,
} from '@lic/testing';
import { type AllocationServer, createServer } from '../src/server.js';

/** One signing pair for every test run: generating Ed25519 keys is cheap, but pointless per test. */
const signingKeys: SigningKeyPair = generateSigningKeyPair();

export { type GraphQLFailure, GraphQLRequestError };

export interface HarnessOptions {
  database?: TestDatabase;
  redis?: boolean;
  /** Allocation processes on the same database (and Redis, when asked). */
  instances?: number;
  env?: Record<string, string>;
  /** In-process bus shared by the instances (tests publish enforcement and accounts events on it). */
  inProcessBus?: boolean;
}

export interface TestServer {
  id: string;
  name: string;
  accountId: string;
  installSiteId: string;
}

/**
 * Real allocation subgraph processes (in this test process) on a private database, with a
 * manual clock, a licensing-admin token and helpers to sign licence files for registered servers.
 */
export class Harness {
  readonly clock = new ManualClock('2024-03-01T08:00:00.000Z');
  readonly instances: AllocationServer[] = [];
  readonly keys = signingKeys;
  admin = '';
  transport: EventTransport | undefined;

  private constructor(readonly env: TestEnvironment) {}

  static async start(options: HarnessOptions = {}): Promise<Harness> {
    const env = testEnvironment({
      database: options.database ?? 'sqlite',
      ...(options.redis ? { redis: true } : {}),
      env: {
        LICENSE_SIGNING_PRIVATE_KEY: signingKeys.privateKeyPem,
        LICENSE_SIGNING_PUBLIC_KEY: signingKeys.publicKeyPem,
        ...options.env,
      },
    });
    const harness = new Harness(env);
    if (options.inProcessBus !== false && !options.redis) harness.transport = new InProcessTransport();
    try {
      for (let i = 0; i < (options.instances ?? 1); i += 1) {
        harness.instances.push(
          await createServer(env.config, {
            clock: harness.clock,
            ...(harness.transport ? { transport: harness.transport } : {}),
          }),
        );
      }
      harness.admin = await tokenFor(env.config, { roles: ['LICENSING_ADMIN'], sub: 'admin' });
    } catch (error) {
      await harness.close();
      throw error;
    }
    return harness;
  }

  get config() {
    return this.env.config;
  }

  get url(): string {
    return this.instances[0]!.url;
  }

  get main(): AllocationServer {
    return this.instances[0]!;
  }

  token(
    roles: Role[],
    claims: { accountId?: string; serverId?: string; sub?: string } = {},
  ): Promise<string> {
    return tokenFor(this.config, { roles, ...claims });
  }

  machine(serverId: string): Promise<string> {
    return tokenFor(this.config, { roles: ['SERVER'], serverId, sub: `machine-${serverId}` });
  }

  async raw<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown> = {},
    token = this.admin,
    url = this.url,
  ) {
    return graphqlRequest<T>(url, query, variables, token);
  }

  /** Sends a GraphQL operation; throws GraphQLRequestError carrying the stable code. */
  gql<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown> = {},
    token = this.admin,
    url = this.url,
  ): Promise<T> {
    return gqlData<T>(url, query, variables, token);
  }

  /** The stable code of the operation's error (fails when it succeeds). */
  code(
    query: string,
    variables: Record<string, unknown> = {},
    token = this.admin,
    url = this.url,
  ): Promise<GraphQLFailure> {
    return gqlFailure(url, query, variables, token);
  }

  /** The fluent seed against this subgraph, as the licensing admin (files signed with the test key). */
  seed(): Seed<object> {
    return seed((query, variables) => this.gql(query, variables), {
      privateKeyPem: this.keys.privateKeyPem,
      now: () => this.clock.now(),
    });
  }

  /** The seed at a registered server (its account and site adopted: the accounts subgraph is not here). */
  seedAt(server: TestServer) {
    return this.seed().use({
      accountId: server.accountId,
      siteId: server.installSiteId,
      serverId: server.id,
      serverName: server.name,
    });
  }

  async registerServer(
    name = `cic-${randomUUID().slice(0, 8)}`,
    options: {
      accountId?: string;
      installSiteId?: string;
      switchoverPartnerId?: string;
      /** PRODUCTION when not given; development files load only on DEVELOPMENT or TEST servers. */
      environment?: 'PRODUCTION' | 'DEVELOPMENT' | 'TEST';
    } = {},
  ): Promise<TestServer> {
    const accountId = options.accountId ?? `acc-${randomUUID().slice(0, 8)}`;
    const installSiteId = options.installSiteId ?? `site-${randomUUID().slice(0, 8)}`;
    const made = await this.seed()
      .use({ accountId, siteId: installSiteId })
      .server({
        name,
        ...(options.switchoverPartnerId ? { switchoverPartnerId: options.switchoverPartnerId } : {}),
        ...(options.environment ? { environment: options.environment } : {}),
      });
    return { id: made.serverId, name, accountId, installSiteId };
  }

  /** A signed activation file for the server (its name is the machine name). */
  licenseFile(
    server: TestServer,
    keys: Record<string, number>,
    overrides: Partial<LicenseFileContent> = {},
    privateKeyPem = this.keys.privateKeyPem,
  ): string {
    const content = licenceFileContent(
      { accountId: server.accountId, siteId: server.installSiteId, machineName: server.name },
      { keys, overrides },
      this.clock.now(),
    );
    return signLicenseFile(content, privateKeyPem);
  }

  async load(
    server: TestServer,
    keys: Record<string, number>,
    overrides: Partial<LicenseFileContent> = {},
  ): Promise<void> {
    await this.seedAt(server).file({ keys, overrides });
  }

  /** A server with a loaded perpetual file. */
  async serverWith(
    keys: Record<string, number>,
    overrides: Partial<LicenseFileContent> = {},
  ): Promise<TestServer> {
    // A development file loads only on a DEVELOPMENT (or TEST) server.
    const development = overrides.licenseType?.startsWith('DEVELOPMENT_') ?? false;
    const server = await this.registerServer(undefined, development ? { environment: 'DEVELOPMENT' } : {});
    await this.load(server, keys, overrides);
    return server;
  }

  async createUser(
    server: TestServer,
    licenses: string[],
    allocationMethod: 'ASSIGNED' | 'CONCURRENT' = 'CONCURRENT',
    name = `user-${randomUUID().slice(0, 8)}`,
  ): Promise<string> {
    const made = await this.seedAt(server).users([name], { licenses, allocationMethod });
    return made.userIds[name];
  }

  async createStation(
    server: TestServer,
    licenses: string[] = ['I3_LICENSE_BASIC_STATION'],
    kind = 'WORKSTATION',
    name = `station-${randomUUID().slice(0, 8)}`,
  ): Promise<string> {
    return (await this.seedAt(server).station({ licenses, kind, name })).stationId;
  }

  async logon(
    server: TestServer,
    input: {
      userId: string;
      stationId?: string | null;
      dynamicRemotePhone?: string;
      application?: string;
      occurredAt?: string;
    },
    url = this.url,
  ): Promise<LogonData> {
    // Events without an explicit time happen one second apart (same time = a replay).
    if (input.occurredAt === undefined) this.clock.advance(1000);
    const data = await this.gql<{ logon: LogonData }>(
      LOGON,
      { input: { serverId: server.id, application: 'Interaction Connect', ...input } },
      await this.machine(server.id),
      url,
    );
    return data.logon;
  }

  async logoff(
    server: TestServer,
    input: { userId: string; application?: string; occurredAt?: string },
    url = this.url,
  ): Promise<LogoffData> {
    if (input.occurredAt === undefined) this.clock.advance(1000);
    const data = await this.gql<{ logoff: LogoffData }>(
      LOGOFF,
      { input: { serverId: server.id, application: 'Interaction Connect', ...input } },
      await this.machine(server.id),
      url,
    );
    return data.logoff;
  }

  async statistics(server: TestServer, token = this.admin): Promise<StatisticData[]> {
    const data = await this.gql<{ licenseStatistics: StatisticData[] }>(STATISTICS, { id: server.id }, token);
    return data.licenseStatistics;
  }

  async statistic(server: TestServer, key: string): Promise<StatisticData> {
    const found = (await this.statistics(server)).find((s) => s.key === key);
    if (!found) throw new Error(`no statistic for ${key}`);
    return found;
  }

  /** Outbox events the instances wrote, oldest first. */
  async events(topic: string): Promise<Array<{ payload: Record<string, unknown>; occurredAt: number }>> {
    const rows = await this.main.db.read((m) =>
      m.query('SELECT payload, occurred_at FROM outbox_event WHERE topic = ? ORDER BY seq', [topic]),
    );
    return (rows as Array<{ payload: string; occurred_at: unknown }>).map((r) => ({
      payload: JSON.parse(r.payload) as Record<string, unknown>,
      occurredAt: Number(r.occurred_at),
    }));
  }

  /** Publishes a domain event as another subgraph would (in-process bus). */
  async publish(topic: string, payload: unknown, id: string = randomUUID()): Promise<void> {
    if (!this.transport) throw new Error('this harness has no in-process bus');
    const event: DomainEvent = {
      id,
      topic,
      source: 'test',
      occurredAt: this.clock.now().toISOString(),
      payload,
    };
    await this.transport.publish(event);
  }

  /** Runs the licence-expiry scheduler of the first instance once; how many files it ended. */
  async expiryTick(): Promise<number> {
    return this.main.services.expiry.tick();
  }

  /**
   * Enforcement moves the server from stage `from` to `to` (its stage-changed event, as the
   * enforcement subgraph publishes it), and waits until allocation has applied it. Call ports are
   * limited as enforcement limits them: 2 at stage 6, none below unless given.
   */
  async enforcementStage(
    server: TestServer,
    from: number,
    to: number,
    callPortLimit: number | null = to === 6 ? 2 : null,
  ): Promise<void> {
    this.clock.advance(1000);
    await this.publish(Topics.StageChanged, {
      serverId: server.id,
      accountId: server.accountId,
      from,
      to,
      at: this.clock.now().toISOString(),
      supervisorEnabled: to < 4,
      callPortLimit,
    });
    await eventually(async () => {
      const data = await this.gql<{ server: { enforcementStage: number } }>(
        `query($id: ID!) { server(id: $id) { enforcementStage } }`,
        { id: server.id },
      );
      return data.server.enforcementStage === to;
    });
  }

  async close(): Promise<void> {
    for (const instance of this.instances) await instance.close().catch(() => undefined);
    await this.transport?.close();
    await this.env.cleanup();
  }
}

export interface LogonData {
  session: { id: string };
  acquired: string[];
  reused: string[];
  released: string[];
  denied: string[];
  licenses: string[];
  warnings: string[];
  queuedTypes: string[] | null;
  alreadyLoggedOn: boolean;
  replayed: boolean;
}

export interface LogoffData {
  ended: boolean;
  released: string[];
  remainingSessions: number;
  replayed: boolean;
}

export interface StatisticData {
  key: string;
  assignableAllowed: number | null;
  assignableConfigured: number;
  assignableInUse: number;
  concurrentAllowed: number | null;
  concurrentConfigured: number;
  concurrentInUse: number;
  available: number | null;
  capped: boolean;
  peakInUse: number;
  peakAt: string | null;
  denials: number;
  note: string | null;
}

export const LOGON = `mutation($input: LogonInput!) {
  logon(input: $input) { session { id } acquired reused released denied licenses warnings queuedTypes alreadyLoggedOn replayed }
}`;

export const LOGOFF = `mutation($input: LogoffInput!) {
  logoff(input: $input) { ended released remainingSessions replayed }
}`;

export const STATISTICS = `query($id: ID!) {
  licenseStatistics(serverId: $id) {
    key assignableAllowed assignableConfigured assignableInUse concurrentAllowed concurrentConfigured
    concurrentInUse available capped peakInUse peakAt denials note
  }
}`;

export const STATISTICS_SUBSCRIPTION = `subscription($id: ID!) {
  licenseStatisticsChanged(serverId: $id) {
    server { id name account { id } }
    statistics { key concurrentAllowed concurrentInUse available peakInUse denials }
    at
    version
  }
}`;

export interface StatisticsUpdate {
  licenseStatisticsChanged: {
    server: { id: string; name: string; account: { id: string } };
    statistics: Array<
      Pick<
        StatisticData,
        'key' | 'concurrentAllowed' | 'concurrentInUse' | 'available' | 'peakInUse' | 'denials'
      >
    >;
    at: string;
    version: number;
  };
}
