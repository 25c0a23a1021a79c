import {
  createServer,
  type IncomingMessage,
  type Server as HttpServer,
  type ServerResponse,
} from 'node:http';
import { type AddressInfo } from 'node:net';
import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { MAX_DOCUMENT_TOKENS, apolloServerSettings, disabledApolloPlugins } from './apollo-options.js';
import { GraphQLError, type GraphQLSchema, parse } from 'graphql';
import { type FormattedExecutionResult } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { Redis } from 'ioredis';
import { type WebSocket, WebSocketServer } from 'ws';
import { type Principal, type TokenVerifier } from '../auth/auth.js';
import { type AuditSink, bindAudit } from '../audit/audit.js';
import { CLIENT_ADDRESS_HEADER, REQUEST_ID_HEADER, requestFactsFrom } from '../audit/request-facts.js';
import { createRevocationChannel } from '../auth/revocation.js';
import { type Config } from '../config/config.js';
import { ErrorCode } from '../errors/errors.js';
import { maskFormattedError } from '../errors/mask.js';
import {
  GATEWAY_SIGNATURE_HEADER,
  GATEWAY_SIGNATURE_PARAM,
  type GatewaySignatureVerifier,
  type SignatureRefusal,
  gatewaySignatureVerifier,
} from './gateway-signature.js';
import { type HttpRefusal, sendJson, sendRefusal, serveGraphQL, splitUrl } from './graphql-http.js';
import {
  RESUME_CURSOR_EXTENSION,
  SUBSCRIPTION_RESUME,
  type SubscriptionResume,
  resumeRequestOf,
  subscriptionResumeOf,
} from './subscription-resume.js';
import {
  DEFAULT_LIST_SIZE,
  type OperationLimits,
  exceededLimit,
  highestCostLimit,
  measureComplexity,
  queryTooComplexError,
} from './operation-limits.js';
import { type Logger } from '../logging/logger.js';
import { Readiness, readinessHttpStatus } from '../lifecycle/readiness.js';
import { readinessStoppingPhase, runShutdown, trackHttp } from '../lifecycle/shutdown.js';
import { ServiceMetrics, serveMetrics } from '../telemetry/metrics.js';
import { operationObserver, traceSubscribe } from '../telemetry/observability.js';
import { inServerSpan } from '../telemetry/tracing.js';

export interface ServiceHandle {
  name: string;
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface SubgraphServerOptions<TContext extends BaseContext> {
  name: string;
  config: Config;
  port: number;
  schema: GraphQLSchema;
  logger: Logger;
  verifier: TokenVerifier;
  /** Builds the per-request context (fresh DataLoaders each time). */
  createContext(principal: Principal | undefined): TContext;
  /**
   * Where the audit entries of this subgraph's mutations go (the runtime's: its outbox). Required:
   * a subgraph cannot leave its mutations unaudited.
   */
  audit: AuditSink;
  /**
   * What `/readyz` reports (the runtime's: database, Redis, outbox); without one, ready while
   * listening. Turns `stopping` when the server closes.
   */
  readiness?: Readiness;
  /** After requests have drained: stops the service's own work and its runtime. */
  onClose?(): Promise<void>;
  /** Verifies the gateway's signature (default: from the config; tests of rotation pass their own). */
  signatures?: GatewaySignatureVerifier;
  /** Served at `/metrics` (default: process and operation metrics only; the runtime's adds its outbox and events). */
  metrics?: ServiceMetrics;
  /**
   * Internal JSON POST routes by path (the gateway's own questions, e.g. verifying an API key):
   * signed by the gateway like every GraphQL request, never part of the schema.
   */
  internalRoutes?: Record<string, (body: unknown) => Promise<unknown>>;
}

const SIGNATURE_MESSAGES: Record<SignatureRefusal, string> = {
  missing: 'This service answers only the gateway: the request is not signed',
  malformed: 'This service answers only the gateway: the request signature is malformed',
  stale: 'This service answers only the gateway: the request signature has expired',
  invalid: 'This service answers only the gateway: the request signature is not valid',
};

/** A request that did not come through the gateway: 401, UNAUTHENTICATED, `reason` says what was wrong. */
export function signatureRefusal(refusal: SignatureRefusal): HttpRefusal {
  return {
    status: 401,
    code: ErrorCode.UNAUTHENTICATED,
    message: SIGNATURE_MESSAGES[refusal],
    reason: `gateway.signature.${refusal}`,
  };
}

/**
 * The subgraph's own operation limits, a second line behind the gateway's: whatever the gateway
 * plans from an operation within its limits stays within these (an entity fetch adds one level,
 * `_entities`, and its representations list counts as one list of DEFAULT_LIST_SIZE).
 */
export function subgraphLimits(limits: OperationLimits): OperationLimits {
  return {
    maxDepth: limits.maxDepth + 1,
    maxAliases: limits.maxAliases,
    maxCost: highestCostLimit(limits) * DEFAULT_LIST_SIZE,
  };
}

/** Refuses operations past the limits; verdicts are kept per text (the gateway sends few distinct ones). */
function operationLimiter(schema: GraphQLSchema, limits: OperationLimits) {
  const verdicts = new Map<string, GraphQLError | null>();
  return (query: string, operationName: string | undefined): GraphQLError | undefined => {
    const key = `${operationName ?? ''}\u0000${query}`;
    let verdict = verdicts.get(key);
    if (verdict === undefined) {
      let document;
      try {
        document = parse(query, { maxTokens: MAX_DOCUMENT_TOKENS });
      } catch {
        // Apollo reports the syntax error (or the token limit) itself.
        return undefined;
      }
      let complexity;
      try {
        complexity = measureComplexity(document, schema, operationName);
      } catch {
        // Nesting deep enough to exhaust the stack is far past any depth limit.
        complexity = { depth: Number.MAX_SAFE_INTEGER, aliases: 0, cost: 0 };
      }
      const message = exceededLimit(complexity, limits);
      verdict = message
        ? queryTooComplexError(message, {
            ...complexity,
            maxDepth: limits.maxDepth,
            maxAliases: limits.maxAliases,
            maxCost: limits.maxCost,
          })
        : null;
      if (verdicts.size >= 500) verdicts.delete(verdicts.keys().next().value as string);
      verdicts.set(key, verdict);
    }
    return verdict ?? undefined;
  };
}

function headerText(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } },
  });
}

/**
 * HTTP and graphql-ws on one port, `/graphql`, with `/healthz`, `/readyz` and `/metrics` (Prometheus, METRICS_TOKEN as at the gateway). `/graphql` answers
 * only requests the gateway signed (HTTP: the x-gateway-signature header; graphql-ws: the
 * `gatewaySignature` connection parameter), then verifies the end user's token as before, and
 * refuses operations past the subgraph's own limits; health and readiness stay open. Requests go
 * straight from node:http to Apollo Server's executeHTTPGraphQLRequest (no web framework: a
 * subgraph answers little else, and on the logon path the framework was a tenth of its CPU).
 * A JSON body past MAX_REQUEST_BYTES is refused with 413, malformed JSON with 400, an unknown
 * path with 404; a body of another type goes to Apollo as text, whose CSRF prevention refuses it.
 */
export async function startSubgraphServer<TContext extends BaseContext>(
  options: SubgraphServerOptions<TContext>,
): Promise<ServiceHandle> {
  const { config, schema, logger, verifier } = options;
  const signatures = options.signatures ?? gatewaySignatureVerifier(config);
  const readiness = options.readiness ?? new Readiness({ service: options.name });
  const limits = subgraphLimits(config.limits);
  const tooComplex = operationLimiter(schema, limits);
  const metrics = options.metrics ?? new ServiceMetrics(options.name);
  const authorize = (req: IncomingMessage, body: Buffer): HttpRefusal | undefined => {
    const header = req.headers[GATEWAY_SIGNATURE_HEADER];
    const refusal = signatures.verify(typeof header === 'string' ? header : undefined, {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      authorization: req.headers.authorization,
      body,
      requestId: headerText(req.headers[REQUEST_ID_HEADER]),
      clientAddress: headerText(req.headers[CLIENT_ADDRESS_HEADER]),
    });
    if (!refusal) return undefined;
    logger.warn(
      { reason: refusal, method: req.method, remote: req.socket.remoteAddress },
      'unsigned request refused',
    );
    return signatureRefusal(refusal);
  };
  const context = async (req: IncomingMessage): Promise<TContext> => {
    let principal: Principal | undefined;
    try {
      principal = await verifier.fromAuthorization(req.headers.authorization);
    } catch (error) {
      throw unauthenticated(error instanceof Error ? error.message : 'Token is invalid');
    }
    const created = options.createContext(principal);
    bindAudit(created, {
      sink: options.audit,
      facts: requestFactsFrom(req.headers),
      principal,
      service: options.name,
    });
    return created;
  };
  const serveInternal = async (
    req: IncomingMessage,
    res: ServerResponse,
    route: (body: unknown) => Promise<unknown>,
  ): Promise<void> => {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > 64 * 1024) return sendRefusal(res, 413, ErrorCode.BAD_USER_INPUT, 'Too large');
      chunks.push(chunk);
    }
    const raw = Buffer.concat(chunks);
    const refusal = authorize(req, raw);
    if (refusal) return sendRefusal(res, refusal.status, refusal.code, refusal.message, refusal.reason);
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return sendRefusal(res, 400, ErrorCode.BAD_USER_INPUT, 'The request body is not valid JSON');
    }
    return sendJson(res, 200, await route(body));
  };
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const { path, search } = splitUrl(req);
    const get = req.method === 'GET' || req.method === 'HEAD';
    if (path === '/graphql') {
      return serveGraphQL(req, res, search, {
        apollo,
        maxRequestBytes: config.limits.maxRequestBytes,
        authorize,
        check: tooComplex,
        context,
      });
    }
    const internal = options.internalRoutes?.[path];
    if (internal && req.method === 'POST') return serveInternal(req, res, internal);
    if (path === '/healthz' && get) return sendJson(res, 200, { status: 'ok', service: options.name });
    if (path === '/readyz' && get) {
      const report = await readiness.report();
      return sendJson(res, readinessHttpStatus(report.status), report);
    }
    if (path === '/metrics' && get) return serveMetrics(config, metrics.registry, req, res);
    return sendRefusal(res, 404, ErrorCode.NOT_FOUND, `No ${req.method ?? 'GET'} ${path} here`);
  };
  // Requests are handled once Apollo exists (below); it needs the server to drain it on stop.
  const httpServer: HttpServer = createServer();
  const requests = trackHttp(httpServer);
  // Above the gateway agent's idle timeout (the config checks the margin), so the subgraph never
  // closes a socket the gateway is reusing.
  httpServer.keepAliveTimeout = config.keepAlive.serverMs;
  httpServer.headersTimeout = config.keepAlive.serverMs + 1000;

  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql' });
  // Open sockets by the principal that opened them, so that a revoked credential's close at once.
  const openSockets = new Map<WebSocket, Principal>();
  const revocations = createRevocationChannel(config, (url) => new Redis(url, { maxRetriesPerRequest: 1 }));
  const stopRevocations = revocations.subscribe(({ sub }) => {
    for (const [socket, principal] of openSockets) {
      if (principal.sub === sub) socket.close(4401, 'This credential was revoked');
    }
  });
  await revocations.ready();
  const wsCleanup = useServer<
    { authorization?: string; gatewaySignature?: string },
    { principal?: Principal }
  >(
    {
      schema,
      onConnect: async (ctx) => {
        const header = ctx.connectionParams?.authorization;
        const signature = ctx.connectionParams?.[GATEWAY_SIGNATURE_PARAM];
        const refusal = signatures.verify(typeof signature === 'string' ? signature : undefined, {
          method: 'GET',
          path: ctx.extra.request.url ?? '/',
          authorization: typeof header === 'string' ? header : undefined,
          body: undefined,
        });
        if (refusal) {
          logger.warn(
            { reason: refusal, remote: ctx.extra.request.socket.remoteAddress },
            'unsigned connection refused',
          );
          return false;
        }
        try {
          const principal = await verifier.fromAuthorization(typeof header === 'string' ? header : undefined);
          if (!principal) return false;
          ctx.extra.principal = principal;
          openSockets.set(ctx.extra.socket, principal);
          return true;
        } catch {
          return false;
        }
      },
      onSubscribe: (_ctx, _id, payload) => {
        traceSubscribe(options.name, payload);
        const refusal = tooComplex(payload.query, payload.operationName ?? undefined);
        return refusal ? [refusal] : undefined;
      },
      onClose: (ctx) => {
        openSockets.delete(ctx.extra.socket);
      },
      context: (ctx, _id, payload) => {
        const created = options.createContext(ctx.extra.principal);
        // A resumable subscription asked to resume (the gateway after an outage): see the context.
        const from = resumeRequestOf(payload.extensions);
        if (from) {
          const resume: SubscriptionResume = { from, cursor: undefined };
          Object.assign(created as object, { [SUBSCRIPTION_RESUME]: resume });
        }
        bindAudit(created, {
          sink: options.audit,
          facts: { requestId: undefined, clientAddress: undefined },
          principal: ctx.extra.principal,
          service: options.name,
        });
        return created;
      },
      // Each event of a resumable subscription carries the subscriber's position after it.
      onNext: (_ctx, _id, _payload, args, result) => {
        const cursor = subscriptionResumeOf(args.contextValue)?.cursor;
        if (cursor === undefined) return undefined;
        return {
          ...result,
          extensions: { ...result.extensions, [RESUME_CURSOR_EXTENSION]: cursor },
        } as FormattedExecutionResult;
      },
      onError: (_ctx, _id, _payload, errors) => {
        logger.warn({ errors: errors.map((e) => e.message) }, 'subscription error');
      },
    },
    wsServer,
  );

  const apollo = new ApolloServer<TContext>({
    schema,
    ...apolloServerSettings(config),
    plugins: [
      ApolloServerPluginInlineTraceDisabled(),
      ...disabledApolloPlugins<TContext>(),
      operationObserver<TContext>(metrics, logger),
    ],
    formatError: (formatted, error) => {
      const { error: safe, masked } = maskFormattedError(formatted, error);
      if (masked) logger.error({ err: error }, 'internal error');
      return safe;
    },
  });
  await apollo.start();
  httpServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
    inServerSpan(options.name, req, res, () => handle(req, res)).catch((error: unknown) => {
      logger.error({ err: error }, 'request failed');
      if (res.headersSent) res.destroy();
      else sendRefusal(res, 500, ErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error');
    });
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, config.listenHost, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  const url = `http://${config.listenHost}:${port}/graphql`;
  logger.info({ url }, `${options.name} listening`);

  let closing: Promise<void> | undefined;
  return {
    name: options.name,
    url,
    port,
    close: () => {
      let drained: ReturnType<typeof requests.drain> | undefined;
      return (closing ??= runShutdown(logger, [
        readinessStoppingPhase(readiness, config.shutdownDelayMs),
        {
          // New connections are refused; the gateway's subscriptions (graphql-ws) are told 1001,
          // going away, and resubscribe elsewhere.
          name: 'stopped accepting, sockets told going away',
          run: async () => {
            stopRevocations();
            const sockets = wsServer.clients.size;
            drained = requests.drain(config.shutdownGraceMs);
            await wsCleanup.dispose();
            return { sockets, inFlight: requests.inFlight };
          },
        },
        {
          name: 'requests in flight finished',
          run: async () => {
            const outcome = await drained;
            for (const socket of wsServer.clients) socket.terminate();
            await apollo.stop();
            await revocations.close();
            return outcome;
          },
        },
        { name: 'service stopped', run: async () => options.onClose?.() },
      ]));
    },
  };
}
