import { type Socket } from 'node:net';
import { Agent as HttpAgent, type IncomingHttpHeaders, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { type Fetcher, type FetcherRequestInit, type FetcherResponse } from '@apollo/utils.fetcher';
import {
  CLIENT_ADDRESS_HEADER,
  type GatewaySigner,
  REQUEST_ID_HEADER,
  SpanKind,
  inSpan,
  tracingEnabled,
  withTraceHeaders,
} from '@lic/shared/core';

const RETRYABLE = /ECONNRESET|socket hang up|other side closed|UND_ERR_SOCKET|EPIPE/i;
/**
 * The gateway's subgraph requests are `{"query":"<operation>",…}`, the operation as the query
 * planner prints it: `{…}` or `query …` for reads, `mutation …` for writes. Only reads dedupe.
 */
const QUERY_BODY = /^\{"query":"(\{|query\b)/;

/** A subgraph fetcher that can release its pooled connections. */
export type SubgraphFetcher = Fetcher & { close(): void };

class BufferedResponse implements FetcherResponse {
  readonly bodyUsed = false;
  readonly redirected = false;

  constructor(
    readonly url: string,
    readonly status: number,
    readonly statusText: string,
    readonly headers: Headers,
    private readonly body: Buffer,
  ) {}

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  async text(): Promise<string> {
    return this.body.toString('utf8');
  }

  async json(): Promise<unknown> {
    return JSON.parse(this.body.toString('utf8'));
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const copy = new Uint8Array(this.body.byteLength);
    copy.set(this.body);
    return copy.buffer;
  }

  clone(): FetcherResponse {
    return new BufferedResponse(this.url, this.status, this.statusText, new Headers(this.headers), this.body);
  }
}

function toHeaders(raw: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (Array.isArray(value)) value.forEach((v) => headers.append(name, v));
    else if (value !== undefined) headers.set(name, value);
  }
  return headers;
}

function headerValue(headers: Record<string, string>, name: string): string | undefined {
  if (headers[name] !== undefined) return headers[name];
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value;
  return undefined;
}

function withoutRequestFacts(headers: Record<string, string>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (lower !== REQUEST_ID_HEADER && lower !== CLIENT_ADDRESS_HEADER) kept[name] = value;
  }
  return kept;
}

class SubgraphTimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

/**
 * A subgraph refused the gateway's own signature: the deployment is misconfigured (SUBGRAPH_SECRET
 * differs, or clocks drift apart), not the caller's fault. Thrown, it is logged and masked as an
 * internal error instead of reaching clients as UNAUTHENTICATED.
 */
export class SubgraphSignatureRefused extends Error {
  override readonly name = 'SubgraphSignatureRefused';
}

const SIGNATURE_REFUSAL = /"reason":"(gateway\.signature\.[a-z]+)"/;

/**
 * Connections busier than this are not guarded: only a subgraph closing idle connections (its
 * keep-alive timeout, or a restart) can close one under a request it never read, and guarding
 * every mutation would cost each a round trip under load.
 */
const GUARD_AFTER_IDLE_MS = 1000;

/** What the subgraph may have seen of a failed attempt. */
class AttemptFailed extends Error {
  constructor(
    override readonly cause: unknown,
    /** False when no byte of the operation can have reached the subgraph: retrying is safe. */
    readonly reached: boolean,
  ) {
    super(String(cause));
  }
}

/**
 * POSTs to subgraphs over node:http with pooled keep-alive connections (cheaper per request than
 * WHATWG fetch), a per-request timeout, and one request for identical queries in flight at the same
 * time. Idle pooled sockets close after `idleMs`, below the subgraphs' keep-alive timeout (the
 * config checks the margin), so the gateway is normally the side that closes them. Every attempt is
 * signed with the gateway's secret (subgraphs answer nothing else), a retry afresh.
 *
 * A connection can still die under a request (a subgraph restarting closes its idle connections).
 * A read is retried once after a transport error. A mutation is retried once only when it cannot
 * have reached the subgraph: the connection was refused, or a reused connection failed before the
 * operation was written. On a reused connection idle for GUARD_AFTER_IDLE_MS or more, a mutation's
 * headers go first with `Expect: 100-continue` and its body only once the subgraph answers
 * `100 Continue` (or answers at all): a subgraph never executes an operation it has not received.
 * A mutation that may have reached the subgraph is never retried, so it is never executed twice.
 */
export function createSubgraphFetcher(
  timeoutMs: number,
  signer: GatewaySigner,
  options: {
    /** Idle pooled connections close after this (below the subgraphs' keep-alive timeout). */
    idleMs?: number;
    /** A mutation waits for `100 Continue` on a reused connection idle at least this long. */
    guardAfterIdleMs?: number;
  } = {},
): SubgraphFetcher {
  const idleMs = options.idleMs ?? 30_000;
  const guardAfterIdleMs = options.guardAfterIdleMs ?? GUARD_AFTER_IDLE_MS;
  // When each pooled connection last finished a request (transport timing, not domain time).
  const lastUsed = new WeakMap<Socket, number>();
  const agents = {
    'http:': new HttpAgent({ keepAlive: true, maxSockets: 256, timeout: idleMs }),
    'https:': new HttpsAgent({ keepAlive: true, maxSockets: 256, timeout: idleMs }),
  };
  // A handful of subgraph URLs, parsed once each instead of on every request.
  const targets = new Map<string, { secure: boolean; hostname: string; port: string; path: string }>();
  const targetOf = (url: string) => {
    let target = targets.get(url);
    if (!target) {
      const parsed = new URL(url);
      target = {
        secure: parsed.protocol === 'https:',
        hostname: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
        port: parsed.port,
        path: `${parsed.pathname}${parsed.search}`,
      };
      if (targets.size < 100) targets.set(url, target);
    }
    return target;
  };
  const attempt = (url: string, init: FetcherRequestInit, guarded: boolean) =>
    new Promise<FetcherResponse>((resolve, reject) => {
      const { secure, hostname, port, path } = targetOf(url);
      const method = init.method ?? 'GET';
      const headers = init.headers ?? {};
      const signature = signer.headers({
        method,
        path,
        authorization: headerValue(headers, 'authorization'),
        body: init.body,
        requestId: headerValue(headers, REQUEST_ID_HEADER),
        clientAddress: headerValue(headers, CLIENT_ADDRESS_HEADER),
      });
      // Whether any byte of the operation can have reached the subgraph.
      let reached = false;
      let used: Socket | undefined;
      const req = (secure ? httpsRequest : httpRequest)(
        {
          hostname,
          ...(port ? { port } : {}),
          path,
          method,
          // The fetch's span continues in the subgraph (W3C traceparent; nothing while tracing is off).
          headers: withTraceHeaders({ ...headers, ...signature }),
          agent: secure ? agents['https:'] : agents['http:'],
        },
        (res) => {
          sendBody();
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', (error) => reject(new AttemptFailed(error, true)));
          res.on('end', () => {
            if (used) lastUsed.set(used, performance.now());
            const body = Buffer.concat(chunks);
            const refused = res.statusCode === 401 ? SIGNATURE_REFUSAL.exec(body.toString('utf8')) : null;
            if (refused) {
              reject(
                new SubgraphSignatureRefused(
                  `${url} refused the gateway's signature (${refused[1]}): check SUBGRAPH_SECRET and the clocks`,
                ),
              );
              return;
            }
            resolve(
              new BufferedResponse(
                url,
                res.statusCode ?? 0,
                res.statusMessage ?? '',
                toHeaders(res.headers),
                body,
              ),
            );
          });
        },
      );
      let sent = false;
      const sendBody = () => {
        if (sent) return;
        sent = true;
        reached = true;
        req.end(init.body);
      };
      req.setTimeout(timeoutMs, () =>
        req.destroy(new SubgraphTimeoutError(`${url} did not answer within ${timeoutMs} ms`)),
      );
      req.on('error', (error) => reject(new AttemptFailed(error, reached)));
      req.on('continue', sendBody);
      req.once('socket', (socket) => {
        used = socket;
        const idle = performance.now() - (lastUsed.get(socket) ?? 0);
        if (guarded && req.reusedSocket && idle >= guardAfterIdleMs) {
          // The body waits for the subgraph's 100 Continue: until then nothing can be executed.
          req.setHeader('expect', '100-continue');
          if (typeof init.body === 'string') req.setHeader('content-length', Buffer.byteLength(init.body));
          req.flushHeaders();
          return;
        }
        // A new connection: nothing reaches the subgraph before it is established.
        if (socket.connecting) socket.once('connect', () => (reached = true));
        else reached = true;
        sendBody();
      });
    });
  const withRetry = async (url: string, init: FetcherRequestInit, read: boolean) => {
    try {
      return await attempt(url, init, !read);
    } catch (error) {
      if (!(error instanceof AttemptFailed)) throw error;
      const cause = error.cause as { code?: string; message?: string };
      const transport =
        cause.code === 'ECONNREFUSED' ||
        RETRYABLE.test(`${String(cause)} ${cause.code ?? ''} ${cause.message ?? ''}`);
      if (!transport || (!read && error.reached)) throw error.cause;
      try {
        return await attempt(url, init, false);
      } catch (second) {
        throw second instanceof AttemptFailed ? second.cause : second;
      }
    }
  };
  // With tracing on, each subgraph request (its retry included) is a client span.
  const send = (url: string, init: FetcherRequestInit, read: boolean) =>
    tracingEnabled()
      ? inSpan(
          'gateway',
          `subgraph ${read ? 'query' : 'mutation'}`,
          { kind: SpanKind.CLIENT, attributes: { 'url.full': url, 'http.request.method': 'POST' } },
          () => withRetry(url, init, read),
        )
      : withRetry(url, init, read);
  // Identical queries in flight at once (same subgraph, headers and body: the same caller asking
  // the same thing) share one request; each caller parses the shared bytes into its own objects.
  const inflight = new Map<string, Promise<FetcherResponse>>();
  const fetcher = (url: string, init: FetcherRequestInit = {}): Promise<FetcherResponse> => {
    const body = init.body;
    if (typeof body !== 'string' || !QUERY_BODY.test(body)) return send(url, init, false);
    // The request facts (request id, client address) are left out: a read answers the same whoever
    // asks it with the same token, and only mutations are audited.
    const key = `${url}\n${JSON.stringify(withoutRequestFacts(init.headers ?? {}))}\n${body}`;
    let shared = inflight.get(key);
    if (!shared) {
      shared = send(url, init, true).finally(() => inflight.delete(key));
      inflight.set(key, shared);
    }
    return shared;
  };
  return Object.assign(fetcher, {
    close: () => {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  });
}
