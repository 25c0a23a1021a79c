import {
  createServer,
  type IncomingMessage,
  type Server as HttpServer,
  type ServerResponse,
} from 'node:http';
import { type AddressInfo } from 'node:net';
import { ApolloServer, type BaseContext, HeaderMap } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { type Principal, type TokenVerifier } from '../auth/auth.js';
import { type Config } from '../config/config.js';
import { ErrorCode } from '../errors/errors.js';
import { maskFormattedError } from '../errors/mask.js';
import { type Logger } from '../logging/logger.js';

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
  /** Readiness beyond "listening" (for example: the database answers). */
  ready?(): Promise<boolean>;
  onClose?(): Promise<void>;
}

function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } },
  });
}

/** A JSON answer outside GraphQL (health, readiness, refusals before GraphQL could run). */
function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

function refusal(
  res: ServerResponse,
  status: number,
  code: ErrorCode,
  message: string,
  reason?: string,
): void {
  sendJson(res, status, { errors: [{ message, extensions: { code, ...(reason ? { reason } : {}) } }] });
}

class BodyTooLarge extends Error {}

/** The request body as text, refused past `limit` bytes (by its Content-Length, or as it streams). */
async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new BodyTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * HTTP and graphql-ws on one port, `/graphql`, with `/healthz` and `/readyz`. Requests go
 * straight from node:http to Apollo Server's executeHTTPGraphQLRequest (no web framework: a
 * subgraph answers little else, and on the logon path the framework was a tenth of its CPU).
 * A JSON body past MAX_REQUEST_BYTES is refused with 413, malformed JSON with 400, an unknown
 * path with 404; a body of another type goes to Apollo as text, whose CSRF prevention refuses it.
 */
export async function startSubgraphServer<TContext extends BaseContext>(
  options: SubgraphServerOptions<TContext>,
): Promise<ServiceHandle> {
  const { config, schema, logger, verifier } = options;
  const context = async (req: IncomingMessage): Promise<TContext> => {
    let principal: Principal | undefined;
    try {
      principal = await verifier.fromAuthorization(req.headers.authorization);
    } catch (error) {
      throw unauthenticated(error instanceof Error ? error.message : 'Token is invalid');
    }
    return options.createContext(principal);
  };
  const graphql = async (req: IncomingMessage, res: ServerResponse, search: string): Promise<void> => {
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    let body: unknown;
    if (req.method === 'POST') {
      let text: string;
      try {
        text = await readBody(req, config.limits.maxRequestBytes);
      } catch (error) {
        if (!(error instanceof BodyTooLarge)) throw error;
        res.setHeader('connection', 'close');
        return refusal(
          res,
          413,
          ErrorCode.BAD_USER_INPUT,
          `The request is larger than ${config.limits.maxRequestBytes} bytes`,
          'entity.too.large',
        );
      }
      if (/^application\/(.+\+)?json\b/i.test(headers.get('content-type') ?? '')) {
        try {
          body = text === '' ? {} : (JSON.parse(text) as unknown);
        } catch {
          return refusal(
            res,
            400,
            ErrorCode.BAD_USER_INPUT,
            'The request body is not valid JSON',
            'entity.parse.failed',
          );
        }
      } else {
        body = text;
      }
    }
    const result = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers, search, body },
      context: () => context(req),
    });
    res.statusCode = result.status ?? 200;
    for (const [name, value] of result.headers) res.setHeader(name, value);
    if (result.body.kind === 'complete') {
      res.setHeader('content-length', Buffer.byteLength(result.body.string));
      res.end(result.body.string);
      return;
    }
    for await (const chunk of result.body.asyncIterator) res.write(chunk);
    res.end();
  };
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    const search = query === -1 ? '' : url.slice(query);
    const get = req.method === 'GET' || req.method === 'HEAD';
    if (path === '/graphql') return graphql(req, res, search);
    if (path === '/healthz' && get) return sendJson(res, 200, { status: 'ok', service: options.name });
    if (path === '/readyz' && get) {
      const ok = options.ready ? await options.ready().catch(() => false) : true;
      return sendJson(res, ok ? 200 : 503, { status: ok ? 'ready' : 'not ready', service: options.name });
    }
    return refusal(res, 404, ErrorCode.NOT_FOUND, `No ${req.method ?? 'GET'} ${path} here`);
  };
  // Requests are handled once Apollo exists (below); it needs the server to drain it on stop.
  const httpServer: HttpServer = createServer();
  // Above the gateway agent's idle timeout, so the subgraph never closes a socket the gateway is reusing.
  httpServer.keepAliveTimeout = 65_000;
  httpServer.headersTimeout = 66_000;

  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql' });
  const wsCleanup = useServer<{ authorization?: string }, { principal?: Principal }>(
    {
      schema,
      onConnect: async (ctx) => {
        const header = ctx.connectionParams?.authorization;
        try {
          const principal = await verifier.fromAuthorization(typeof header === 'string' ? header : undefined);
          if (!principal) return false;
          ctx.extra.principal = principal;
          return true;
        } catch {
          return false;
        }
      },
      context: (ctx) => options.createContext(ctx.extra.principal),
      onError: (_ctx, _id, _payload, errors) => {
        logger.warn({ errors: errors.map((e) => e.message) }, 'subscription error');
      },
    },
    wsServer,
  );

  const apollo = new ApolloServer<TContext>({
    schema,
    introspection: config.introspection,
    csrfPrevention: true,
    includeStacktraceInErrorResponses: false,
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), ApolloServerPluginInlineTraceDisabled()],
    formatError: (formatted, error) => {
      const { error: safe, masked } = maskFormattedError(formatted);
      if (masked) logger.error({ err: error }, 'internal error');
      return safe;
    },
  });
  await apollo.start();
  httpServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((error: unknown) => {
      logger.error({ err: error }, 'request failed');
      if (res.headersSent) res.destroy();
      else refusal(res, 500, ErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error');
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
    close: () =>
      (closing ??= (async () => {
        await wsCleanup.dispose();
        wsServer.close();
        await apollo.stop();
        httpServer.closeAllConnections();
        await options.onClose?.();
      })()),
  };
}
