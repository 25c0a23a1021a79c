import { type IncomingMessage, type ServerResponse } from 'node:http';
import { type ApolloServer, type BaseContext, HeaderMap } from '@apollo/server';
import { type GraphQLError } from 'graphql';
import { ErrorCode } from '../errors/errors.js';

/** A JSON answer outside GraphQL execution (health, readiness, refusals before GraphQL ran). */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** A GraphQL-shaped refusal: `{ errors: [{ message, extensions: { code, reason? } }] }`. */
export function sendRefusal(
  res: ServerResponse,
  status: number,
  code: ErrorCode,
  message: string,
  reason?: string,
): void {
  sendJson(res, status, { errors: [{ message, extensions: { code, ...(reason ? { reason } : {}) } }] });
}

/** The path and the query string (with its `?`) of a request. */
export function splitUrl(req: IncomingMessage): { path: string; search: string } {
  const url = req.url ?? '/';
  const at = url.indexOf('?');
  return at === -1 ? { path: url, search: '' } : { path: url.slice(0, at), search: url.slice(at) };
}

export class BodyTooLarge extends Error {}

/** A JSON text's value, or undefined when there is none or it does not parse (Apollo refuses it). */
function parseJson(text: string | null): unknown {
  if (text === null) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function variablesOf(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** The request body, refused past `limit` bytes (by its Content-Length, or as it streams). */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new BodyTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** A refusal sent before GraphQL runs (see sendRefusal). */
export interface HttpRefusal {
  status: number;
  code: ErrorCode;
  message: string;
  reason?: string;
}

export interface GraphQLHttpOptions<TContext extends BaseContext> {
  apollo: ApolloServer<TContext>;
  maxRequestBytes: number;
  /**
   * Decides, from the request and its raw body, whether it may be served at all (a subgraph: the
   * gateway's signature); a refusal is sent before the body is parsed or anything runs.
   */
  authorize?(req: IncomingMessage, body: Buffer): HttpRefusal | undefined;
  /** The request's context (authentication happens here: throw a GraphQLError to refuse). */
  context(req: IncomingMessage): Promise<TContext>;
  /**
   * Looks at the operation before it runs; an error refuses it with 400 (operation limits).
   * `variables`: the request's, when they are an object (list sizes may be variables).
   */
  check?(
    query: string,
    operationName: string | undefined,
    variables: Record<string, unknown> | undefined,
  ): GraphQLError | undefined;
  /** Each refusal made here, by its code (metrics). */
  refused?(code: string): void;
  /**
   * May answer a JSON POST itself once it passed `check` (the gateway's single-fetch forwarding);
   * true when it did, false when it sent nothing and Apollo should answer.
   */
  forward?(request: ForwardableRequest): Promise<boolean>;
  /** The body, when the caller read it already (the gateway, for an Idempotency-Key). */
  body?: Buffer;
}

/** A JSON POST's operation, as `forward` is offered it. */
export interface ForwardableRequest {
  query: string;
  operationName: string | undefined;
  variables: unknown;
}

/**
 * GraphQL over HTTP straight from node:http to Apollo Server's executeHTTPGraphQLRequest, for the
 * subgraphs and the gateway (no web framework on the request path: on the logon path it was a
 * tenth of a subgraph's CPU). A JSON body past `maxRequestBytes` is refused with 413 and
 * malformed JSON with 400 (BAD_USER_INPUT, `reason` as body-parser names them); a body of another
 * type goes to Apollo as text, whose CSRF prevention refuses it with 400.
 */
export async function serveGraphQL<TContext extends BaseContext>(
  req: IncomingMessage,
  res: ServerResponse,
  search: string,
  options: GraphQLHttpOptions<TContext>,
): Promise<void> {
  const refuse = (status: number, code: ErrorCode, message: string, reason?: string) => {
    options.refused?.(code);
    sendRefusal(res, status, code, message, reason);
  };
  let body: unknown;
  let operation:
    { query?: unknown; operationName?: unknown; variables?: unknown; extensions?: unknown } | undefined;
  let json = false;
  let raw: Buffer = Buffer.alloc(0);
  if (req.method === 'POST' && options.body) raw = options.body;
  else if (req.method === 'POST') {
    try {
      raw = await readBody(req, options.maxRequestBytes);
    } catch (error) {
      if (!(error instanceof BodyTooLarge)) throw error;
      res.setHeader('connection', 'close');
      return refuse(
        413,
        ErrorCode.BAD_USER_INPUT,
        `The request is larger than ${options.maxRequestBytes} bytes`,
        'entity.too.large',
      );
    }
  }
  const refusal = options.authorize?.(req, raw);
  if (refusal) return refuse(refusal.status, refusal.code, refusal.message, refusal.reason);
  if (req.method === 'POST') {
    const text = raw.toString('utf8');
    if (/^application\/(.+\+)?json\b/i.test(req.headers['content-type'] ?? '')) {
      try {
        body = text === '' ? {} : (JSON.parse(text) as unknown);
      } catch {
        return refuse(
          400,
          ErrorCode.BAD_USER_INPUT,
          'The request body is not valid JSON',
          'entity.parse.failed',
        );
      }
      if (body !== null && typeof body === 'object') operation = body as typeof operation;
      json = true;
    } else {
      body = text;
    }
  } else if (req.method === 'GET') {
    const params = new URLSearchParams(search);
    operation = {
      query: params.get('query') ?? undefined,
      operationName: params.get('operationName') ?? undefined,
      variables: parseJson(params.get('variables')),
    };
  }
  if (options.check && typeof operation?.query === 'string') {
    const operationName = typeof operation.operationName === 'string' ? operation.operationName : undefined;
    const refusal = options.check(operation.query, operationName, variablesOf(operation.variables));
    if (refusal) {
      options.refused?.(String(refusal.extensions['code'] ?? ErrorCode.BAD_USER_INPUT));
      return sendJson(res, 400, { errors: [refusal.toJSON()] });
    }
  }
  if (
    options.forward &&
    json &&
    operation &&
    !Array.isArray(operation) &&
    typeof operation.query === 'string' &&
    // As Apollo reads a body: null stands for absent.
    (operation.extensions === undefined || operation.extensions === null) &&
    (operation.operationName === undefined ||
      operation.operationName === null ||
      typeof operation.operationName === 'string') &&
    (await options.forward({
      query: operation.query,
      operationName: typeof operation.operationName === 'string' ? operation.operationName : undefined,
      variables: operation.variables,
    }))
  ) {
    return;
  }
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const result = await options.apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: req.method ?? 'GET', headers, search, body },
    context: () => options.context(req),
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
}
