import { randomUUID } from 'node:crypto';
import {
  type Clock,
  type Config,
  type LicenseFileLoadedPayload,
  type PubSubHandle,
  type Role,
  type ServerStartedPayload,
  InProcessTransport,
  ManualClock,
  OutboxEventRow,
  Topics,
  VIRTUAL_CLOUD_KEY,
  createPubSub,
} from '@lic/shared';
import {
  eventually,
  graphqlData,
  graphqlRequest,
  publishApplied,
  testEnvironment,
  tokenFor,
  type TestDatabase,
  type TestEnvironment,
} from '@lic/testing';
import { createServer, type EnforcementServerHandle } from '../src/server.js';
import { type EnforcementServer } from '../src/status/enforcement-server.entity.js';

/*
 * Drives the enforcement subgraph the way production does: allocation's events go onto the
 * transport (as allocation's outbox relay would publish them), people and servers call the
 * GraphQL endpoint with tokens, and time moves on a ManualClock.
 */

export interface LicenseTerms {
  virtualCloud?: boolean;
  rampDate?: string;
  graceDays?: number;
  callPorts?: number;
  loadedAt?: string;
  fileId?: string;
  revision?: number;
  expiresAt?: string;
  licenseModel?: 'PERPETUAL' | 'SUBSCRIPTION';
}

export interface TestServer {
  serverId: string;
  accountId: string;
}

export interface EnforcementHarness {
  env: TestEnvironment;
  config: Config;
  clock: ManualClock;
  transport: InProcessTransport;
  handle: EnforcementServerHandle;
  adminToken: string;
  token(roles: Role[], claims?: { accountId?: string; serverId?: string }): Promise<string>;
  /** Publishes allocation.server-registered and waits until enforcement has applied it. */
  registerServer(accountId?: string): Promise<TestServer>;
  /** Publishes allocation.license-file-loaded and waits until enforcement has applied it. */
  loadLicense(server: TestServer, terms?: LicenseTerms): Promise<void>;
  /** Publishes any event (e.g. from accounts) and waits until enforcement has applied it. */
  publish(topic: string, payload: unknown, source?: string): Promise<void>;
  /** Publishes allocation.server-started and waits until enforcement has applied it. */
  startServer(server: TestServer, event?: Partial<ServerStartedPayload>): Promise<void>;
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
  ): Promise<T>;
  /** Waits until `count` subscriptions (in total) listen on this instance's PubSub. */
  listening(count: number): Promise<void>;
  /** The subscriptions listening on this instance's PubSub now (ended ones not counted). */
  listeningNow(): number;
  row(serverId: string): Promise<EnforcementServer | null>;
  /** The enforcement.stage-changed events in this subgraph's outbox, in order. */
  outboxStageChanges(): Promise<Array<Record<string, unknown>>>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  database?: TestDatabase;
  clock?: ManualClock;
  /** Several instances on one database: pass the first harness's env, transport and pubSub. */
  env?: TestEnvironment;
  transport?: InProcessTransport;
  pubSub?: PubSubHandle;
  clockOverride?: Clock;
  /** Keep the scheduler's own timers running (for a test on the real clock). */
  autoSchedule?: boolean;
  tickSeconds?: number;
}

export const WORKED_EXAMPLE: Required<Pick<LicenseTerms, 'rampDate' | 'graceDays'>> = {
  rampDate: '2020-06-01T00:00:00.000Z',
  graceDays: 7,
};

export async function startEnforcement(options: HarnessOptions = {}): Promise<EnforcementHarness> {
  const ownEnv = options.env === undefined;
  // An hour between safety-net ticks: within a test only `tick()` (and the precise timer) move stages.
  const env =
    options.env ??
    testEnvironment({
      database: options.database ?? 'sqlite',
      env: { ENFORCEMENT_TICK_SECONDS: String(options.tickSeconds ?? 3600) },
    });
  const ownTransport = options.transport === undefined;
  const transport = options.transport ?? new InProcessTransport();
  const clock = options.clock ?? new ManualClock('2020-05-01T00:00:00.000Z');
  // The live PubSub, counting subscriptions: graphql-ws does not acknowledge a subscribe, so tests
  // wait until the subgraph is listening before they make the change it should hear of.
  const ownPubSub = options.pubSub === undefined;
  const pubSub = options.pubSub ?? createPubSub(env.config);
  let listening = 0;
  let listeningNow = 0;
  const subscribeTo = pubSub.pubSub.subscribe.bind(pubSub.pubSub);
  pubSub.pubSub.subscribe = ((...args: Parameters<typeof subscribeTo>) => {
    listening += 1;
    listeningNow += 1;
    const source = subscribeTo(...args);
    // Counted down once, when the subscription ends its listener (return) or the PubSub ends it.
    let ended = false;
    const end = () => {
      if (!ended) listeningNow -= 1;
      ended = true;
    };
    const counted = {
      next: async () => {
        const result = await source.next();
        if (result.done) end();
        return result;
      },
      return: (value?: unknown) => {
        end();
        return source.return(value);
      },
      throw: (error?: unknown) => {
        end();
        return source.throw(error);
      },
      [Symbol.asyncIterator]: () => counted,
    };
    // Its consumers use only the async iterator protocol.
    return counted as unknown as typeof source;
  }) as typeof subscribeTo;
  const handle = await createServer(env.config, { clock: options.clockOverride ?? clock, transport, pubSub });
  // On a ManualClock only the test moves stages (`scheduler.tick()`): a timer armed for a stage
  // that the test's clock has already passed would otherwise tick in the background.
  if (!options.autoSchedule) await handle.scheduler.stop();
  const adminToken = await tokenFor(env.config, { roles: ['LICENSING_ADMIN'] });
  const row = async (serverId: string) => (await handle.services.enforcement.byIds([serverId]))[0] ?? null;

  /** Publishes as allocation's relay would, and waits until enforcement has applied the event. */
  const publish = async (topic: string, payload: unknown, source = 'allocation') => {
    const event = { id: randomUUID(), topic, source, occurredAt: clock.now().toISOString(), payload };
    await publishApplied(transport, handle.database.dataSource, event, `enforcement:${topic}`);
  };

  return {
    env,
    config: env.config,
    clock,
    transport,
    handle,
    adminToken,
    token: (roles, claims = {}) => tokenFor(env.config, { roles, ...claims }),
    registerServer: async (accountId = randomUUID()) => {
      const serverId = randomUUID();
      await publish(Topics.ServerRegistered, {
        serverId,
        accountId,
        installSiteId: randomUUID(),
        name: `cic-${serverId.slice(0, 4)}`,
      });
      return { serverId, accountId };
    },
    loadLicense: async (server, terms = {}) => {
      const virtualCloud = terms.virtualCloud ?? true;
      const fileId = terms.fileId ?? randomUUID();
      const payload: LicenseFileLoadedPayload = {
        serverId: server.serverId,
        accountId: server.accountId,
        fileId,
        licenseModel: terms.licenseModel ?? 'SUBSCRIPTION',
        licenseType: 'PRODUCTION',
        keys: { I3_ACCESS_CLIENT: 50, ...(virtualCloud ? { [VIRTUAL_CLOUD_KEY]: 1 } : {}) },
        rampDate: virtualCloud ? (terms.rampDate ?? WORKED_EXAMPLE.rampDate) : null,
        graceDays: virtualCloud ? (terms.graceDays ?? WORKED_EXAMPLE.graceDays) : null,
        callPorts: terms.callPorts ?? 23,
        loadedAt: terms.loadedAt ?? clock.now().toISOString(),
        ...(terms.revision !== undefined ? { revision: terms.revision } : {}),
        ...(terms.expiresAt !== undefined ? { expiresAt: terms.expiresAt } : {}),
      };
      await publish(Topics.LicenseFileLoaded, payload);
    },
    publish,
    startServer: async (server, event = {}) => {
      const payload: ServerStartedPayload = {
        serverId: server.serverId,
        accountId: server.accountId,
        switchover: false,
        occurredAt: clock.now().toISOString(),
        ...event,
      };
      await publish(Topics.ServerStarted, payload);
    },
    gql: (query, variables = {}, token = adminToken) => graphqlData(handle.url, query, variables, token),
    listening: async (count) => {
      await eventually(() => listening >= count);
      // The PubSub registers its listener (a Redis SUBSCRIBE in distributed mode) as iteration starts.
      await new Promise((r) => setTimeout(r, pubSub.kind === 'redis' ? 200 : 20));
    },
    listeningNow: () => listeningNow,
    row,
    outboxStageChanges: async () => {
      // The subgraph's own data source: the outbox rows it wrote, whether relayed yet or not.
      const rows = await handle.database.dataSource
        .getRepository(OutboxEventRow)
        .find({ where: { topic: Topics.StageChanged }, order: { seq: 'ASC' } });
      return rows.map((r) => JSON.parse(r.payload) as Record<string, unknown>);
    },
    close: async () => {
      await handle.close();
      if (ownPubSub) await pubSub.close();
      if (ownTransport) await transport.close();
      if (ownEnv) await env.cleanup();
    },
  };
}

/** The raw response, for asserting error codes. */
export async function gqlErrorCode(
  harness: EnforcementHarness,
  query: string,
  variables: Record<string, unknown>,
  token: string,
): Promise<unknown> {
  const result = await graphqlRequest(harness.handle.url, query, variables, token);
  return result.errors?.[0]?.extensions?.['code'];
}
