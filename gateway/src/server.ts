import { setTimeout as delay } from 'node:timers/promises';
import {
  createServer,
  type IncomingMessage,
  type Server as HttpServer,
  type ServerResponse,
} from 'node:http';
import { type AddressInfo } from 'node:net';
import { ApolloGateway, type GraphQLDataSource, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import express from 'express';
import { Redis } from 'ioredis';
import {
  type ExecutionResult,
  GraphQLError,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type OperationDefinitionNode,
  getVariableValues,
} from 'graphql';
import {
  type Config,
  ErrorCode,
  type Logger,
  BodyTooLarge,
  Readiness,
  type ServiceHandle,
  TokenVerifier,
  createLogger,
  gatewaySigner,
  createRevocationChannel,
  readBody,
  readinessHttpStatus,
  redisCheck,
  runShutdown,
  clientAddress,
  sendRefusal,
  serveGraphQL,
  splitUrl,
  strictenDateTime,
  trackHttp,
  nameActiveSpan,
  serveMetrics,
} from '@lic/shared/core';
import { observeGatewayRequest, startGatewayTelemetry } from './telemetry.js';
import { ApiKeyExchange, GatewayVerifier } from './api-keys.js';
import { authenticate } from './auth.js';
import {
  IDEMPOTENCY_HEADER,
  Idempotency,
  MemoryIdempotencyStore,
  REPLAYED_HEADER,
  RedisIdempotencyStore,
  captureResponse,
  fingerprint,
  isMutation,
  scopedKey,
  validKey,
} from './idempotency.js';
import { createCors } from './cors.js';
import { mountDashboard } from './dashboard.js';
import { type GatewayContext, type RequestInfo } from './context.js';
import { SingleFetchForwarder } from './forwarding/forwarder.js';
import {
  connectionLostError,
  errorChainText,
  invalidVariableError,
  isConnectionLostAfterSend,
  isTransportFailure,
  maskError,
  subgraphUnavailableError,
} from './errors.js';
import { MAX_TOKENS, OperationGuard } from './limits/operation-guard.js';
import { type CounterStore, MemoryCounterStore, RedisCounterStore } from './limits/rate-limiter.js';
import { Throttle, rateLimitHeaders } from './limits/throttle.js';
import { GatewayMetrics } from './metrics.js';
import { createSubgraphFetcher } from './subgraph-fetcher.js';
import { CachingVerifier } from './token-cache.js';
import { resolveSubgraphUrl, subgraphCapability, subgraphReadiness } from './subgraphs.js';
import {
  type BridgeStats,
  DEFAULT_SUBSCRIPTION_OPTIONS,
  type SubscriptionOptions,
  SubscriptionBridge,
} from './subscriptions/bridge.js';
import { EventExecutor } from './subscriptions/event-executor.js';
import { SupergraphPlanner } from './subscriptions/planner.js';
import { startWsServer } from './subscriptions/ws-server.js';
import { loadSupergraphSdl } from './supergraph.js';
import { assignRequestFacts, requestFactHeaders } from './request-facts.js';
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

const GRAPHQL_PATH = '/graphql';

/**
 * Connections the kernel completes while the process has not accepted them yet. A restarted
 * gateway is met by every client at once (1,000 subscribers within a second) while its event loop
 * is busy starting; beyond this queue the kernel drops their SYNs, and a dropped client retries
 * only after TCP's own back-off (1 s, 3 s, 7 s, 15 s…), whatever its reconnect settings. Node's
 * default is 511; the kernel caps it at net.core.somaxconn (4096 on current Linux).
 */
export const LISTEN_BACKLOG = 4096;

/** Refusals sent before Apollo runs carry their status already: `http` is Apollo's, not the client's. */
function withoutHttpExtension(error: GraphQLError | undefined): GraphQLError | undefined {
  if (!error || !('http' in error.extensions)) return error;
  const { http: _http, ...extensions } = error.extensions;
  return new GraphQLError(error.message, { extensions });
}

/**
 * The gateway executes no resolvers, so nothing coerces the variables before the query plan sends
 * them on: coerced here against the API schema (whose DateTime is strict), a wrong value is the
 * client's mistake (BAD_USER_INPUT, 400), not a subgraph's failure.
 */
function refuseInvalidVariables(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
): void {
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {}, {
    maxErrors: 1,
  });
  const first = coerced.errors?.[0];
  if (first) throw invalidVariableError(first);
}

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
  const tokens = new CachingVerifier(new TokenVerifier(config));
  // Subgraphs answer only requests signed with this (HTTP through the fetcher, graphql-ws upstream).
  const signer = gatewaySigner(config);
  const fetcher = createSubgraphFetcher(config.subgraphTimeoutMs, signer, {
    idleMs: config.keepAlive.gatewayIdleMs,
  });
  // `Bearer lic_…`: verified with accounts, forwarded as a short-lived platform token.
  const apiKeys = new ApiKeyExchange(config, fetcher, () => subgraphUrl('accounts'));
  const verifier = new GatewayVerifier(tokens, apiKeys);
  const metrics = new GatewayMetrics();
  const subscriptionOptions: SubscriptionOptions = {
    ...DEFAULT_SUBSCRIPTION_OPTIONS,
    signer,
    ...options.subscriptions,
  };
  const dataSources = new Map<string, GraphQLDataSource>();
  let planner: SupergraphPlanner | undefined;
  const subgraphUrl = (name: string) => {
    const fromSupergraph = planner?.subgraphs.find((s) => s.name === name)?.url;
    return resolveSubgraphUrl(config, name, fromSupergraph);
  };

  const guard = new OperationGuard(config.limits, config.introspection);
  // Shared by every replica through Redis in distributed mode; this process's own otherwise.
  // Without an offline queue: while Redis is down a count fails at once and the request goes
  // through uncounted (fail open), instead of waiting for a reconnect first.
  const counterRedis = config.redisUrl
    ? new Redis(config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false })
    : undefined;
  counterRedis?.on('error', () => undefined);
  const counters: CounterStore = counterRedis
    ? new RedisCounterStore(counterRedis, `${config.redisPrefix}ratelimit:`)
    : new MemoryCounterStore();
  const throttle = new Throttle(config.rateLimits, counters, logger);
  const bridge = new SubscriptionBridge(
    subscriptionOptions,
    new EventExecutor(dataSources, logger),
    subgraphUrl,
    metrics,
    logger,
  );

  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl ?? loadSupergraphSdl(),
    buildService: ({ name, url }) => {
      const dataSource = new RemoteGraphQLDataSource<GatewayContext>({
        url: resolveSubgraphUrl(config, name, url),
        fetcher,
        // Cache hints are for HTTP caches in front of the gateway, which this platform has none of.
        honorSubgraphCacheControlHeader: false,
        willSendRequest({ request, context }) {
          // Subgraphs verify the token again (and the fetcher signs the request for them).
          if (context.authorization) request.http?.headers.set('authorization', context.authorization);
          for (const [name, value] of Object.entries(requestFactHeaders(context.requestFacts)))
            request.http?.headers.set(name, value);
        },
      });
      dataSources.set(name, dataSource);
      return dataSource;
    },
  });
  gateway.onSchemaLoadOrUpdate(({ apiSchema, coreSupergraphSdl }) => {
    // An invalid date is the client's mistake, refused here before any subgraph is called.
    strictenDateTime(apiSchema);
    planner = new SupergraphPlanner(coreSupergraphSdl);
    strictenDateTime(planner.apiSchema);
    guard.setSchema(planner.apiSchema);
    bridge.setPlanner(planner);
  });

  /** A subgraph that cannot be reached is named in a clean error instead of a masked one. */
  const unreachableService = (error: unknown): string | undefined => {
    if (!isTransportFailure(error)) return undefined;
    const text = errorChainText(error);
    for (const { name } of planner?.subgraphs ?? []) {
      const url = subgraphUrl(name);
      if (url && text.includes(new URL(url).host)) return name;
    }
    return 'upstream';
  };

  const formatError = (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const service = unreachableService(error);
    if (service) {
      const lost = isConnectionLostAfterSend(error);
      logger.warn(
        { err: error, subgraph: service },
        lost ? 'subgraph connection lost after the mutation was sent' : 'subgraph unreachable',
      );
      const unavailable = (lost ? connectionLostError(service) : subgraphUnavailableError(service)).toJSON();
      return maskError({ ...unavailable, ...(formatted.path ? { path: formatted.path } : {}) }).error;
    }
    const { error: safe, masked } = maskError(formatted);
    if (masked) logger.error({ err: error }, 'internal error');
    return safe;
  };

  const app = express();
  app.disable('x-powered-by');
  // Requests are served once the gateway is ready (below); Apollo needs the server to drain it on stop.
  const httpServer = createServer();
  const requests = trackHttp(httpServer);
  // Node's default (5 s) is shorter than many clients keep an idle connection: a client reusing
  // one the gateway is closing gets ECONNRESET (seen in the fault suite's rolling restart).
  httpServer.keepAliveTimeout = config.keepAlive.clientMs;
  httpServer.headersTimeout = config.keepAlive.clientMs + 1000;
  // The gateway listens before it is ready: a client reconnecting to a restarting gateway holds an
  // open socket (its connection_init answered once ready) instead of being refused and backing off.
  const gate = new StartupGate();
  // (`serveRequest` is defined below, before the gate opens.)
  httpServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (gate.open) return serveRequest(req, res);
    holdUntilReady(gate, req, res, splitUrl(req).path, (held, answer) => serveRequest(held, answer));
  });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    introspection: config.introspection,
    csrfPrevention: true,
    // The process's own shutdown (exitOnSignals) stops it: Apollo's would stop it and re-raise the signal.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: false,
    parseOptions: { maxTokens: MAX_TOKENS },
    plugins: [
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginSchemaReportingDisabled(),
      ...(config.env === 'production' ? [ApolloServerPluginLandingPageDisabled()] : []),
      {
        async requestDidStart() {
          return {
            async didResolveOperation({ operation, contextValue, request, schema }) {
              if (contextValue.requestInfo && operation) {
                contextValue.requestInfo.operation = operation.operation;
                nameActiveSpan(operation.operation, operation.name?.value);
              }
              if (operation) refuseInvalidVariables(schema, operation, request.variables);
            },
            async willSendResponse({ response, contextValue }) {
              // graphql-ws operations (no requestInfo) are counted where they are sent.
              if (contextValue.requestInfo && response.body.kind === 'single') {
                metrics.countErrors(
                  (response.body.singleResult.errors ?? []).map((e) => e.extensions?.['code']),
                );
              }
            },
          };
        },
      },
    ],
    formatError,
  });
  const ws = startWsServer({
    httpServer,
    path: GRAPHQL_PATH,
    verifier,
    throttle,
    guard,
    bridge,
    schema: (): GraphQLSchema | undefined => planner?.apiSchema,
    executeOperation: async (request, context): Promise<ExecutionResult> => {
      const response = await apollo.executeOperation(request, { contextValue: context });
      if (response.body.kind !== 'single')
        return { errors: [new GraphQLError('Incremental delivery is not supported')] };
      const { data, errors } = response.body.singleResult;
      return {
        data: data ?? null,
        ...(errors
          ? {
              errors: errors.map(
                (e) =>
                  new GraphQLError(e.message, {
                    ...(e.path ? { path: e.path } : {}),
                    extensions: e.extensions ?? {},
                  }),
              ),
            }
          : {}),
      };
    },
    metrics,
    keepAliveMs: options.subscriptions?.clientKeepAliveMs ?? 12_000,
    maxPayloadBytes: config.limits.maxRequestBytes,
    logger,
    ready: gate.ready,
  });
  /** A start that fails closes what it opened: held sockets and requests are dropped. */
  const startStep = <T>(step: Promise<T>): Promise<T> =>
    step.catch(async (error: unknown) => {
      gate.failed(error instanceof Error ? error : new Error(String(error)));
      await ws.close().catch(() => undefined);
      httpServer.closeAllConnections();
      httpServer.close();
      throw error;
    });
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen({ port: config.ports.gateway, host: config.listenHost, backlog: LISTEN_BACKLOG }, () =>
      resolve(),
    );
  });
  const port = (httpServer.address() as AddressInfo).port;
  const url = `http://${config.listenHost}:${port}${GRAPHQL_PATH}`;
  logger.info({ url }, 'gateway listening');

  await startStep(apollo.start());

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', service: 'gateway' });
  });
  const readiness = gatewayReadiness(config, () => planner, subgraphUrl);
  app.get('/readyz', async (_req, res) => {
    const report = await readiness.report();
    res.status(readinessHttpStatus(report.status)).json(report);
  });
  app.get('/metrics', (req, res) => serveMetrics(config, metrics.registry, req, res));

  // The supervisor dashboard (gateway/dashboard): static bundle plus, on opt-in, a dev sign-in.
  mountDashboard(app, { config, logger });

  const forwarder =
    (options.forwarding ?? config.gatewayForwarding) === false
      ? undefined
      : new SingleFetchForwarder({
          guard,
          planner: () => planner,
          fetcher,
          subgraphUrl,
          authenticate: (authorization) => authenticate(verifier, authorization),
          formatError,
          countErrors: (codes) => metrics.countErrors(codes),
          forwarded: (service) => metrics.forwarded.inc({ service }),
        });

  // Idempotency-Key: shared by every replica through Redis in distributed mode, this process's otherwise.
  const idempotency = new Idempotency(
    config.redisUrl
      ? new RedisIdempotencyStore(
          new Redis(config.redisUrl, { maxRetriesPerRequest: 1 }).on('error', () => undefined),
          `${config.redisPrefix}idempotency:`,
        )
      : new MemoryIdempotencyStore(),
    {
      ttlMs: config.idempotency.ttlSeconds * 1000,
      waitMs: config.idempotency.waitMs,
      // A request whose gateway died holds its key no longer than it could have run.
      leaseMs: Math.max(config.subgraphTimeoutMs * 2, config.idempotency.waitMs) + 5000,
    },
  );

  /**
   * A POST with Idempotency-Key: a mutation runs once per (caller, key); the same request again
   * gets the first answer, another request with the key 422. Anything but a mutation, or a
   * request that fails authentication, is served as if the header were absent.
   */
  const idempotent = async (
    req: IncomingMessage,
    res: ServerResponse,
    key: string,
    serve: (body?: Buffer) => Promise<void>,
  ): Promise<void> => {
    if (!validKey(key)) {
      metrics.countErrors([ErrorCode.BAD_USER_INPUT]);
      sendRefusal(
        res,
        400,
        ErrorCode.BAD_USER_INPUT,
        'Idempotency-Key must be 1 to 255 visible ASCII characters',
      );
      return;
    }
    let raw: Buffer;
    try {
      raw = await readBody(req, config.limits.maxRequestBytes);
    } catch (error) {
      if (!(error instanceof BodyTooLarge)) throw error;
      res.setHeader('connection', 'close');
      sendRefusal(
        res,
        413,
        ErrorCode.BAD_USER_INPUT,
        `The request is larger than ${config.limits.maxRequestBytes} bytes`,
        'entity.too.large',
      );
      return;
    }
    let operation: { query?: unknown; operationName?: unknown; variables?: unknown } | undefined;
    try {
      operation = JSON.parse(raw.toString('utf8')) as typeof operation;
    } catch {
      return serve(raw);
    }
    const query = operation?.query;
    const operationName = typeof operation?.operationName === 'string' ? operation.operationName : undefined;
    if (typeof query !== 'string' || !isMutation(query, operationName)) return serve(raw);
    let principal;
    try {
      principal = (await authenticate(verifier, req.headers.authorization)).principal;
    } catch {
      return serve(raw);
    }
    let admission;
    try {
      admission = await idempotency.admit(
        scopedKey(principal, key),
        fingerprint(query, operationName, operation?.variables),
      );
    } catch (error) {
      logger.error({ err: error }, 'idempotency store unavailable');
      res.setHeader('retry-after', '1');
      sendRefusal(
        res,
        503,
        ErrorCode.INTERNAL_SERVER_ERROR,
        'Idempotency keys cannot be checked right now: retry',
      );
      return;
    }
    if (admission.kind === 'reused') {
      metrics.countErrors([ErrorCode.IDEMPOTENCY_KEY_REUSED]);
      sendRefusal(
        res,
        422,
        ErrorCode.IDEMPOTENCY_KEY_REUSED,
        'This Idempotency-Key was used with another request',
      );
      return;
    }
    if (admission.kind === 'in-use') {
      metrics.countErrors([ErrorCode.IDEMPOTENCY_KEY_IN_USE]);
      res.setHeader('retry-after', '1');
      sendRefusal(
        res,
        409,
        ErrorCode.IDEMPOTENCY_KEY_IN_USE,
        'The first request with this Idempotency-Key is still running: retry',
      );
      return;
    }
    if (admission.kind === 'replay') {
      const { status, contentType, body } = admission.response;
      res.writeHead(status, {
        'content-type': contentType,
        'content-length': Buffer.byteLength(body),
        [REPLAYED_HEADER]: 'true',
      });
      res.end(body);
      return;
    }
    const captured = captureResponse(res);
    try {
      await serve(raw);
    } catch (error) {
      await admission.finish({ status: 500, contentType: '', body: '' }).catch(() => undefined);
      throw error;
    }
    await admission.finish(captured()).catch((error: unknown) => {
      logger.error({ err: error }, 'idempotent answer not stored');
    });
  };

  const graphql = async (req: IncomingMessage, res: ServerResponse, search: string): Promise<void> => {
    const started = performance.now();
    const info: RequestInfo = { operation: 'unknown' };
    const requestFacts = assignRequestFacts(req, res, clientAddress(req));
    res.on('finish', () => {
      metrics.requests.inc({ transport: 'http', operation: info.operation });
      metrics.duration.observe(
        { transport: 'http', operation: info.operation },
        (performance.now() - started) / 1000,
      );
    });
    // Throttling comes before any parsing or planning (and before the body is read).
    const { refused, tightest, principal } = await throttle.admit(
      verifier,
      clientAddress(req),
      req.headers.authorization,
    );
    if (tightest)
      for (const [name, value] of Object.entries(rateLimitHeaders(tightest))) res.setHeader(name, value);
    if (refused) {
      metrics.countErrors([ErrorCode.RATE_LIMITED]);
      res.setHeader('connection', 'close');
      sendRefusal(res, 429, ErrorCode.RATE_LIMITED, refused.message);
      return;
    }
    const serve = (body?: Buffer): Promise<void> =>
      serveGraphQL(req, res, search, {
        ...(body ? { body } : {}),
        apollo,
        maxRequestBytes: config.limits.maxRequestBytes,
        check: (query, operationName, variables) =>
          withoutHttpExtension(
            guard.refuseHttp(query, operationName, { roles: principal?.roles, variables }),
          ),
        refused: (code) => metrics.countErrors([code]),
        ...(forwarder
          ? {
              forward: (request) =>
                forwarder.forward(request, req, res, (operation, name) => {
                  info.operation = operation;
                  nameActiveSpan(operation, name);
                }),
            }
          : {}),
        context: async () => {
          try {
            const credentials = await authenticate(verifier, req.headers.authorization);
            return { ...credentials, requestInfo: info, requestFacts };
          } catch (error) {
            metrics.countErrors([ErrorCode.UNAUTHENTICATED]);
            throw error;
          }
        },
      });
    const key = req.headers[IDEMPOTENCY_HEADER];
    if (typeof key === 'string' && req.method === 'POST') return idempotent(req, res, key, serve);
    await serve();
  };

  // GraphQL over HTTP goes straight to Apollo; Express serves the rest (health, metrics, dashboard).
  const cors = createCors(config.cors);
  const serveRequest = (req: IncomingMessage, res: ServerResponse) => {
    const { path, search } = splitUrl(req);
    if (path !== GRAPHQL_PATH && path !== `${GRAPHQL_PATH}/`) {
      app(req, res);
      return;
    }
    if (cors(req, res)) return; // a preflight, answered
    observeGatewayRequest(req, res, logger, () => graphql(req, res, search)).catch((error: unknown) => {
      logger.error({ err: error }, 'request failed');
      if (res.headersSent) res.destroy();
      else sendRefusal(res, 500, ErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error');
    });
  };

  // A revoked credential's sockets close within moments, on every replica (Redis in distributed mode).
  const revocations = createRevocationChannel(config, (url) => new Redis(url, { maxRetriesPerRequest: 1 }));
  const stopRevocations = revocations.subscribe(({ sub }) => {
    tokens.revoke(sub, Date.now() + config.jwt.serverMaxLifetimeSeconds * 1000);
    apiKeys.forget(sub);
    const closed = ws.revoke(sub);
    if (closed > 0) logger.info({ sub, closed }, 'sockets of a revoked credential closed');
  });
  await startStep(revocations.ready());
  metrics.observeSubscriptions(
    () => bridge.stats(),
    () => ws.connections,
  );

  if (options.startupHold) await startStep(options.startupHold);
  gate.opened();
  let closing: Promise<void> | undefined;
  return {
    name: 'gateway',
    url,
    port,
    httpServer,
    metrics,
    subscriptionStats: () => ({ ...bridge.stats(), clientConnections: ws.connections }),
    close: () => {
      let drained: ReturnType<typeof requests.drain> | undefined;
      return (closing ??= runShutdown(logger, [
        {
          name: 'readiness answers stopping',
          run: async () => {
            readiness.markStopping();
            // Still accepting meanwhile: a load balancer probing /readyz takes the process out first.
            if (config.shutdownDelayMs > 0) await delay(config.shutdownDelayMs);
            return { delayMs: config.shutdownDelayMs };
          },
        },
        {
          // Clients' graphql-ws sockets are told 1001, going away: they reconnect to another replica.
          name: 'stopped accepting, sockets told going away',
          run: async () => {
            stopRevocations();
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
            await bridge.close();
            await apollo.stop();
            await revocations.close();
            await idempotency.close();
            await throttle.close();
            await readiness.close();
            fetcher.close();
          },
        },
      ]));
    },
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
