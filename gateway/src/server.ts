import {
  createServer,
  type IncomingMessage,
  type Server as HttpServer,
  type ServerResponse,
} from 'node:http';
import { type AddressInfo } from 'node:net';
import { type ApolloGateway, type GraphQLDataSource } from '@apollo/gateway';
import { type ApolloServer } from '@apollo/server';
import { Redis } from 'ioredis';
import {
  type Config,
  type HttpDrain,
  type Logger,
  Readiness,
  type RevocationChannel,
  type ServiceHandle,
  TokenVerifier,
  createLogger,
  gatewaySigner,
  createRevocationChannel,
  redisCheck,
  readinessStoppingPhase,
  runShutdown,
  splitUrl,
  trackHttp,
} from '@lic/shared/core';
import {
  type FormatError,
  LoadedSupergraph,
  createApolloGateway,
  createApolloServer,
  executeThroughApollo,
  gatewayErrorFormatter,
} from './apollo.js';
import { startGatewayTelemetry } from './telemetry.js';
import { ApiKeyExchange, GatewayVerifier } from './api-keys.js';
import { type GatewayContext } from './context.js';
import { type GraphqlEndpoint, createGraphqlEndpoint } from './http/graphql-endpoint.js';
import { GRAPHQL_PATH, requestRouter, routesApp } from './http/routes.js';
import { OperationGuard } from './limits/operation-guard.js';
import { type CounterStore, MemoryCounterStore, RedisCounterStore } from './limits/rate-limiter.js';
import { Throttle } from './limits/throttle.js';
import { GatewayMetrics } from './metrics.js';
import { type SubgraphFetcher, createSubgraphFetcher } from './subgraph-fetcher.js';
import { CachingVerifier } from './token-cache.js';
import { subgraphCapability, subgraphReadiness } from './subgraphs.js';
import {
  type BridgeStats,
  DEFAULT_SUBSCRIPTION_OPTIONS,
  type SubscriptionOptions,
  SubscriptionBridge,
} from './subscriptions/bridge.js';
import { EventExecutor } from './subscriptions/event-executor.js';
import { type SupergraphPlanner } from './subscriptions/planner.js';
import { type WsServerHandle, startWsServer } from './subscriptions/ws-server.js';
import { loadSupergraphSdl } from './supergraph.js';
import { StartupGate, holdUntilReady } from './startup.js';

export { type GatewayContext } from './context.js';

export interface GatewayOptions {
  logger?: Logger;
  /** Serve this supergraph instead of gateway/supergraph.graphql (tests compose their own). */
  supergraphSdl?: string;
  subscriptions?: Partial<SubscriptionOptions> & {
    /** Ping interval towards clients; a client missing a pong for as long is disconnected. */
    clientKeepAliveMs?: number;
  };
  /**
   * Queries and mutations one subgraph answers whole go to it straight, without the query-plan
   * executor (default: GATEWAY_FORWARDING, true; the forwarding tests turn it off to compare).
   */
  forwarding?: boolean;
  /**
   * The start waits for this before the gateway is ready (it already listens): tests use it to
   * connect while the gateway is starting. Nothing else should.
   */
  startupHold?: Promise<void>;
}

export interface GatewayHandle extends ServiceHandle {
  httpServer: HttpServer;
  metrics: GatewayMetrics;
  /** Open client subscriptions, upstream subscriptions and connections (tests and metrics). */
  subscriptionStats(): BridgeStats & { clientConnections: number };
}

/**
 * Connections the kernel completes while the process has not accepted them yet. A restarted
 * gateway is met by every client at once (1,000 subscribers within a second) while its event loop
 * is busy starting; beyond this queue the kernel drops their SYNs, and a dropped client retries
 * only after TCP's own back-off (1 s, 3 s, 7 s, 15 s…), whatever its reconnect settings. Node's
 * default is 511; the kernel caps it at net.core.somaxconn (4096 on current Linux).
 */
export const LISTEN_BACKLOG = 4096;

// The /metrics access rule and the peer address live in @lic/shared (every subgraph serves /metrics).
export { clientAddress, metricsAccess } from '@lic/shared/core';

/**
 * The gateway: Apollo gateway over the static supergraph for queries and mutations, a graphql-ws
 * subscription layer on the same URL, JWT verification (tokens are forwarded; subgraphs verify
 * again), operation limits, health endpoints and Prometheus metrics.
 */
export async function createGateway(config: Config, options: GatewayOptions = {}): Promise<GatewayHandle> {
  const logger = options.logger ?? createLogger('gateway', config.logLevel);
  await startGatewayTelemetry(config);
  const services = createServices(config, options, logger);
  const { supergraph, metrics, bridge } = services;
  const { httpServer, requests } = createHttpServer(config);
  // The gateway listens before it is ready: a client reconnecting to a restarting gateway holds an
  // open socket (its connection_init answered once ready) instead of being refused and backing off.
  const gate = new StartupGate();
  // (`serveRequest` is defined below, before the gate opens.)
  httpServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (gate.open) return serveRequest(req, res);
    holdUntilReady(gate, req, res, splitUrl(req).path, (held, answer) => serveRequest(held, answer));
  });
  const apollo = createApolloServer(config, services);
  const ws = startSubscriptionEndpoint(config, options, { services, httpServer, apollo, gate });
  const startStep = closedIfStartFails(gate, ws, httpServer);
  const port = await listen(httpServer, config);
  const url = `http://${config.listenHost}:${port}${GRAPHQL_PATH}`;
  logger.info({ url }, 'gateway listening');

  await startStep(apollo.start());

  // Made once the supergraph is loaded: readiness checks the subgraphs it names.
  const readiness = gatewayReadiness(config, () => supergraph.planner, supergraph.subgraphUrl);
  const app = routesApp({ config, logger, metrics, readiness });
  const graphql = createGraphqlEndpoint(config, { ...services, apollo, forwarding: options.forwarding });
  const serveRequest = requestRouter(config, app, graphql, logger);

  const revocations = watchRevocations(config, services, ws);
  await startStep(revocations.channel.ready());
  metrics.observeSubscriptions(
    () => bridge.stats(),
    () => ws.connections,
  );

  if (options.startupHold) await startStep(options.startupHold);
  gate.opened();
  return {
    name: 'gateway',
    url,
    port,
    httpServer,
    metrics,
    subscriptionStats: () => ({ ...bridge.stats(), clientConnections: ws.connections }),
    close: gatewayShutdown(config, { services, readiness, revocations, ws, requests, apollo, graphql }),
  };
}

/** What HTTP and graphql-ws share: credentials, the supergraph, limits and the subscription bridge. */
interface GatewayServices {
  logger: Logger;
  tokens: CachingVerifier;
  apiKeys: ApiKeyExchange;
  verifier: GatewayVerifier;
  fetcher: SubgraphFetcher;
  metrics: GatewayMetrics;
  supergraph: LoadedSupergraph;
  guard: OperationGuard;
  throttle: Throttle;
  bridge: SubscriptionBridge;
  gateway: ApolloGateway;
  formatError: FormatError;
}

function createServices(config: Config, options: GatewayOptions, logger: Logger): GatewayServices {
  const tokens = new CachingVerifier(new TokenVerifier(config));
  // Subgraphs answer only requests signed with this (HTTP through the fetcher, graphql-ws upstream).
  const signer = gatewaySigner(config);
  const fetcher = createSubgraphFetcher(config.subgraphTimeoutMs, signer, {
    idleMs: config.keepAlive.gatewayIdleMs,
  });
  const supergraph = new LoadedSupergraph(config);
  // `Bearer lic_…`: verified with accounts, forwarded as a short-lived platform token.
  const apiKeys = new ApiKeyExchange(config, fetcher, () => supergraph.subgraphUrl('accounts'));
  const verifier = new GatewayVerifier(tokens, apiKeys);
  const metrics = new GatewayMetrics();
  const subscriptionOptions: SubscriptionOptions = {
    ...DEFAULT_SUBSCRIPTION_OPTIONS,
    signer,
    ...options.subscriptions,
  };
  const dataSources = new Map<string, GraphQLDataSource>();
  const guard = new OperationGuard(config.limits, config.introspection);
  const throttle = new Throttle(config.rateLimits, rateLimitCounters(config), logger);
  const bridge = new SubscriptionBridge(
    subscriptionOptions,
    new EventExecutor(dataSources, logger),
    supergraph.subgraphUrl,
    metrics,
    logger,
  );
  const gateway = createApolloGateway(config, {
    supergraphSdl: options.supergraphSdl ?? loadSupergraphSdl(),
    fetcher,
    dataSources,
    loaded: (planner) => {
      supergraph.planner = planner;
      guard.setSchema(planner.apiSchema);
      bridge.setPlanner(planner);
    },
  });
  const formatError = gatewayErrorFormatter(logger, supergraph);
  return {
    logger,
    tokens,
    apiKeys,
    verifier,
    fetcher,
    metrics,
    supergraph,
    guard,
    throttle,
    bridge,
    gateway,
    formatError,
  };
}

/**
 * Shared by every replica through Redis in distributed mode; this process's own otherwise.
 * Without an offline queue: while Redis is down a count fails at once and the request goes
 * through uncounted (fail open), instead of waiting for a reconnect first.
 */
function rateLimitCounters(config: Config): CounterStore {
  const counterRedis = config.redisUrl
    ? new Redis(config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false })
    : undefined;
  counterRedis?.on('error', () => undefined);
  return counterRedis
    ? new RedisCounterStore(counterRedis, `${config.redisPrefix}ratelimit:`)
    : new MemoryCounterStore();
}

function createHttpServer(config: Config): { httpServer: HttpServer; requests: HttpDrain } {
  // Requests are served once the gateway is ready; Apollo needs the server to drain it on stop.
  const httpServer = createServer();
  const requests = trackHttp(httpServer);
  // Node's default (5 s) is shorter than many clients keep an idle connection: a client reusing
  // one the gateway is closing gets ECONNRESET (seen in the fault suite's rolling restart).
  httpServer.keepAliveTimeout = config.keepAlive.clientMs;
  httpServer.headersTimeout = config.keepAlive.clientMs + 1000;
  return { httpServer, requests };
}

/** Resolves with the port bound (the configured one, or the kernel's pick for port 0). */
async function listen(httpServer: HttpServer, config: Config): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen({ port: config.ports.gateway, host: config.listenHost, backlog: LISTEN_BACKLOG }, () =>
      resolve(),
    );
  });
  return (httpServer.address() as AddressInfo).port;
}

/** graphql-ws on GRAPHQL_PATH: subscriptions through the bridge, queries and mutations through Apollo. */
function startSubscriptionEndpoint(
  config: Config,
  options: GatewayOptions,
  parts: {
    services: GatewayServices;
    httpServer: HttpServer;
    apollo: ApolloServer<GatewayContext>;
    gate: StartupGate;
  },
): WsServerHandle {
  const { verifier, throttle, guard, bridge, supergraph, metrics, logger } = parts.services;
  return startWsServer({
    httpServer: parts.httpServer,
    path: GRAPHQL_PATH,
    verifier,
    throttle,
    guard,
    bridge,
    schema: () => supergraph.planner?.apiSchema,
    executeOperation: executeThroughApollo(parts.apollo),
    metrics,
    keepAliveMs: options.subscriptions?.clientKeepAliveMs ?? 12_000,
    maxPayloadBytes: config.limits.maxRequestBytes,
    logger,
    ready: parts.gate.ready,
  });
}

/** A start that fails closes what it opened: held sockets and requests are dropped. */
function closedIfStartFails(
  gate: StartupGate,
  ws: WsServerHandle,
  httpServer: HttpServer,
): <T>(step: Promise<T>) => Promise<T> {
  return (step) =>
    step.catch(async (error: unknown) => {
      gate.failed(error instanceof Error ? error : new Error(String(error)));
      await ws.close().catch(() => undefined);
      httpServer.closeAllConnections();
      httpServer.close();
      throw error;
    });
}

interface Revocations {
  channel: RevocationChannel;
  stop(): void;
}

/** A revoked credential's sockets close within moments, on every replica (Redis in distributed mode). */
function watchRevocations(
  config: Config,
  { tokens, apiKeys, logger }: GatewayServices,
  ws: WsServerHandle,
): Revocations {
  const channel = createRevocationChannel(config, (url) => new Redis(url, { maxRetriesPerRequest: 1 }));
  const stop = channel.subscribe(({ sub }) => {
    tokens.revoke(sub, Date.now() + config.jwt.serverMaxLifetimeSeconds * 1000);
    apiKeys.forget(sub);
    const closed = ws.revoke(sub);
    if (closed > 0) logger.info({ sub, closed }, 'sockets of a revoked credential closed');
  });
  return { channel, stop };
}

/** The gateway's `close`: the shutdown runs once, however many times it is called. */
function gatewayShutdown(
  config: Config,
  parts: {
    services: GatewayServices;
    readiness: Readiness & { close(): Promise<void> };
    revocations: Revocations;
    ws: WsServerHandle;
    requests: HttpDrain;
    apollo: ApolloServer<GatewayContext>;
    graphql: GraphqlEndpoint;
  },
): () => Promise<void> {
  const { services, readiness, revocations, ws, requests, apollo, graphql } = parts;
  const { logger } = services;
  let closing: Promise<void> | undefined;
  return () => {
    let drained: ReturnType<typeof requests.drain> | undefined;
    return (closing ??= runShutdown(logger, [
      readinessStoppingPhase(readiness, config.shutdownDelayMs),
      {
        // Clients' graphql-ws sockets are told 1001, going away: they reconnect to another replica.
        name: 'stopped accepting, sockets told going away',
        run: async () => {
          revocations.stop();
          const sockets = ws.connections;
          drained = requests.drain(config.shutdownGraceMs);
          await ws.close();
          return { sockets, inFlight: requests.inFlight };
        },
      },
      { name: 'requests in flight finished', run: async () => drained },
      {
        name: 'upstream connections closed',
        run: async () => {
          await services.bridge.close();
          await apollo.stop();
          await revocations.channel.close();
          await graphql.close();
          await services.throttle.close();
          await readiness.close();
          services.fetcher.close();
        },
      },
    ]));
  };
}

/**
 * The gateway's `/readyz`: not ready without a supergraph or with every subgraph down (it cannot
 * serve at all); degraded while a subgraph is down (named, with what clients lose) or Redis is;
 * ready otherwise. Redis down: rate limits fail open (each request goes through uncounted) and
 * revocations no longer reach other replicas (this one's sockets still close).
 */
function gatewayReadiness(
  config: Config,
  planner: () => SupergraphPlanner | undefined,
  subgraphUrl: (name: string) => string | undefined,
): Readiness & { close(): Promise<void> } {
  const names = planner()?.subgraphs.map((s) => s.name) ?? [];
  const readiness = new Readiness({
    service: 'gateway',
    notReady: (checks) => names.length > 0 && names.every((name) => checks[name]?.ok === false),
  });
  readiness.add({
    name: 'supergraph',
    severity: 'required',
    probe: async () => {
      if (!planner()) throw new Error('no supergraph loaded');
      return { subgraphs: names.length };
    },
  });
  for (const name of names) {
    readiness.add({
      name,
      severity: 'optional',
      // Above the subgraph's own bound on its checks (1 s).
      timeoutMs: 2000,
      capability: subgraphCapability(name),
      probe: (signal) => subgraphReadiness(subgraphUrl(name), signal),
    });
  }
  const probe = config.redisUrl
    ? new Redis(config.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 0 })
    : undefined;
  if (probe) {
    probe.on('error', () => undefined);
    readiness.add({
      ...redisCheck(probe),
      capability:
        'rate limits shared between replicas (requests go through uncounted), revocations reaching other replicas',
    });
  }
  return Object.assign(readiness, {
    close: async () => {
      probe?.disconnect();
    },
  });
}
