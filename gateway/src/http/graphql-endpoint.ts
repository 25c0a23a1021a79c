import { type IncomingMessage, type ServerResponse } from 'node:http';
import { type ApolloServer } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { Redis } from 'ioredis';
import {
  BodyTooLarge,
  type Config,
  ErrorCode,
  type Logger,
  clientAddress,
  nameActiveSpan,
  readBody,
  sendRefusal,
  serveGraphQL,
} from '@lic/shared/core';
import { type FormatError, type LoadedSupergraph } from '../apollo.js';
import { type GatewayVerifier } from '../api-keys.js';
import { authenticate } from '../auth.js';
import { type GatewayContext, type RequestInfo } from '../context.js';
import { SingleFetchForwarder } from '../forwarding/forwarder.js';
import {
  type Admission,
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
} from '../idempotency.js';
import { type OperationGuard } from '../limits/operation-guard.js';
import { type Throttle, rateLimitHeaders } from '../limits/throttle.js';
import { type GatewayMetrics } from '../metrics.js';
import { assignRequestFacts } from '../request-facts.js';
import { type SubgraphFetcher } from '../subgraph-fetcher.js';

export interface GraphqlEndpointOptions {
  logger: Logger;
  apollo: ApolloServer<GatewayContext>;
  supergraph: LoadedSupergraph;
  fetcher: SubgraphFetcher;
  verifier: GatewayVerifier;
  guard: OperationGuard;
  throttle: Throttle;
  metrics: GatewayMetrics;
  formatError: FormatError;
  /** GatewayOptions.forwarding: overrides GATEWAY_FORWARDING when set. */
  forwarding: boolean | undefined;
}

export interface GraphqlEndpoint {
  /** `POST/GET /graphql`, `search` being the URL's query string. */
  serve(req: IncomingMessage, res: ServerResponse, search: string): Promise<void>;
  /** Lets go of the idempotency store (its Redis connection in distributed mode). */
  close(): Promise<void>;
}

/** What a request needs of the endpoint: set up once, shared by every request. */
interface Endpoint {
  config: Config;
  logger: Logger;
  apollo: ApolloServer<GatewayContext>;
  verifier: GatewayVerifier;
  guard: OperationGuard;
  throttle: Throttle;
  metrics: GatewayMetrics;
  forwarder: SingleFetchForwarder | undefined;
  idempotency: Idempotency;
}

/**
 * GraphQL over HTTP: throttle, Idempotency-Key, then Apollo (or, for an operation one subgraph
 * answers whole, the forwarder), in the order gateway/src/README.md describes.
 */
export function createGraphqlEndpoint(config: Config, options: GraphqlEndpointOptions): GraphqlEndpoint {
  const { logger, apollo, supergraph, verifier, guard, throttle, metrics } = options;
  const forwarder =
    (options.forwarding ?? config.gatewayForwarding) === false
      ? undefined
      : new SingleFetchForwarder({
          guard,
          planner: () => supergraph.planner,
          fetcher: options.fetcher,
          subgraphUrl: supergraph.subgraphUrl,
          authenticate: (authorization) => authenticate(verifier, authorization),
          formatError: options.formatError,
          countErrors: (codes) => metrics.countErrors(codes),
          forwarded: (service) => metrics.forwarded.inc({ service }),
        });
  const idempotency = idempotencyFor(config);
  const endpoint: Endpoint = {
    config,
    logger,
    apollo,
    verifier,
    guard,
    throttle,
    metrics,
    forwarder,
    idempotency,
  };
  return {
    serve: (req, res, search) => serveGraphqlRequest(endpoint, req, res, search),
    close: () => endpoint.idempotency.close(),
  };
}

/** Idempotency-Key: shared by every replica through Redis in distributed mode, this process's otherwise. */
function idempotencyFor(config: Config): Idempotency {
  return new Idempotency(
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
}

/** Refusals sent before Apollo runs carry their status already: `http` is Apollo's, not the client's. */
function withoutHttpExtension(error: GraphQLError | undefined): GraphQLError | undefined {
  if (!error || !('http' in error.extensions)) return error;
  const { http: _http, ...extensions } = error.extensions;
  return new GraphQLError(error.message, { extensions });
}

async function serveGraphqlRequest(
  endpoint: Endpoint,
  req: IncomingMessage,
  res: ServerResponse,
  search: string,
): Promise<void> {
  const { config, apollo, guard, throttle, verifier, metrics, forwarder } = endpoint;
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
        withoutHttpExtension(guard.refuseHttp(query, operationName, { roles: principal?.roles, variables })),
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
  if (typeof key === 'string' && req.method === 'POST')
    return serveIdempotent(endpoint, req, res, key, serve);
  await serve();
}

/**
 * A POST with Idempotency-Key: a mutation runs once per (caller, key); the same request again
 * gets the first answer, another request with the key 422. Anything but a mutation, or a
 * request that fails authentication, is served as if the header were absent.
 */
async function serveIdempotent(
  endpoint: Endpoint,
  req: IncomingMessage,
  res: ServerResponse,
  key: string,
  serve: (body?: Buffer) => Promise<void>,
): Promise<void> {
  const { logger, metrics, verifier, idempotency } = endpoint;
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
  const read = await readKeyedBody(endpoint.config, req, res);
  if (!read) return;
  const { raw, mutation } = read;
  if (!mutation) return serve(raw);
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
      fingerprint(mutation.query, mutation.operationName, mutation.variables),
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
  if (admission.kind !== 'run') return answerWithoutRunning(metrics, res, admission);
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
}

interface KeyedBody {
  raw: Buffer;
  /** Absent when the body is not JSON or not a mutation: the key then plays no part. */
  mutation: { query: string; operationName: string | undefined; variables: unknown } | undefined;
}

/** The body is read here (not by Apollo) because the key's fingerprint needs it; undefined once refused. */
async function readKeyedBody(
  config: Config,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<KeyedBody | undefined> {
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
    return undefined;
  }
  let operation: { query?: unknown; operationName?: unknown; variables?: unknown } | undefined;
  try {
    operation = JSON.parse(raw.toString('utf8')) as typeof operation;
  } catch {
    return { raw, mutation: undefined };
  }
  const query = operation?.query;
  const operationName = typeof operation?.operationName === 'string' ? operation.operationName : undefined;
  if (typeof query !== 'string' || !isMutation(query, operationName)) return { raw, mutation: undefined };
  return { raw, mutation: { query, operationName, variables: operation?.variables } };
}

/** The key is taken: refused (reused with another request, or still running), or the first answer replayed. */
function answerWithoutRunning(
  metrics: GatewayMetrics,
  res: ServerResponse,
  admission: Exclude<Admission, { kind: 'run' }>,
): void {
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
  const { status, contentType, body } = admission.response;
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    [REPLAYED_HEADER]: 'true',
  });
  res.end(body);
}
