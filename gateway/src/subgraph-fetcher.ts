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
 * keep-alive timeout, or a draining restart) can close one under a request it never read, and
 * guarding every mutation would cost each a round trip under load. A draining subgraph closes only
 * connections idle `DRAIN_IDLE_LINGER_MS` (2 s), 1.5 s more than this, for a hop between the two
 * that hands the gateway an answer late.
 */
const GUARD_AFTER_IDLE_MS = 500;

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
 * A mutation whose connection was lost (or that timed out) after the operation was sent: the
 * subgraph may have executed it, and the gateway does not know. It is never retried; clients are
 * told so (`reason: CONNECTION_LOST_AFTER_SEND`). The message names the subgraph's URL, which the
 * gateway turns into the subgraph's name (never shown to clients).
 */
export class SubgraphConnectionLost extends Error {
  override readonly name = 'SubgraphConnectionLost';

  constructor(
    readonly url: string,
    override readonly cause: unknown,
  ) {
    super(`${url}: the connection was lost after the operation was sent (${String(cause)})`);
  }
}

/**
 * A subgraph that could not be reached (connection refused, no such host, or a reused connection
 * that failed before any byte of the operation was written), after the retries: nothing can have
 * been executed. Also a read whose connection died twice (a read changes nothing).
 */
export class SubgraphUnreachable extends Error {
  override readonly name = 'SubgraphUnreachable';

  constructor(
    readonly url: string,
    override readonly cause: unknown,
  ) {
    super(`${url} could not be reached (${String(cause)})`);
  }
}

/** Failures of a request that may be retried when it never reached the subgraph. */
const TRANSPORT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

function isTransport(cause: unknown): boolean {
  const e = cause as { code?: string; message?: string };
  return (
    TRANSPORT_CODES.has(e.code ?? '') || RETRYABLE.test(`${String(cause)} ${e.code ?? ''} ${e.message ?? ''}`)
  );
}

/** Pauses before retrying a request that never reached the subgraph (a restart, a refused connect). */
const NEVER_REACHED_RETRY_PAUSES_MS = [50, 200];

/**
 * POSTs to subgraphs over node:http with pooled keep-alive connections (cheaper per request than
 * WHATWG fetch), a per-request timeout, and one request for identical queries in flight at the same
 * time. Idle pooled sockets close after `idleMs`, below the subgraphs' keep-alive timeout (the
 * config checks the margin), so the gateway is normally the side that closes them. Every attempt is
 * signed with the gateway's secret (subgraphs answer nothing else), a retry afresh.
 *
 * A connection can still die under a request (a subgraph restarting closes its idle connections).
 * A request that cannot have reached the subgraph (the connection was refused, the host not found,
 * or a reused connection failed before the operation was written) is retried up to twice, after
 * 50 then 200 ms, mutations included; still failing, it is a `SubgraphUnreachable`. A read whose
 * connection died after it was sent is retried once more. On a reused connection idle for
 * GUARD_AFTER_IDLE_MS or more, a mutation's headers go first with `Expect: 100-continue` and its
 * body only once the subgraph answers `100 Continue` (or answers at all): a subgraph never executes
 * an operation it has not received. A mutation that may have reached the subgraph is never
 * retried, so it is never executed twice: a lost connection or a timeout after it was sent is a
 * `SubgraphConnectionLost` (outcome unknown).
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
      // After the subgraph answered (100 Continue or more), the operation has reached it.
      const sendBody = (answered = true) => {
        if (answered) reached = true;
        if (sent) return;
        sent = true;
        req.end(init.body);
      };
      req.setTimeout(timeoutMs, () =>
        req.destroy(new SubgraphTimeoutError(`${url} did not answer within ${timeoutMs} ms`)),
      );
      req.on('error', (error) => reject(new AttemptFailed(error, reached)));
      req.on('continue', () => sendBody());
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
        sendBody(false);
      });
    });
  /**
   * A request that never reached the subgraph is tried again after a short pause, twice at most,
   * mutations included; a read whose connection died later is tried once more; a mutation that may
   * have reached the subgraph is never tried again.
   */
  const withRetry = async (url: string, init: FetcherRequestInit, read: boolean) => {
    let readRetried = false;
    for (let attemptNo = 0; ; attemptNo += 1) {
      try {
        // A retry's connection is fresh or just used: no 100-continue guard needed.
        return await attempt(url, init, !read && attemptNo === 0);
      } catch (error) {
        if (!(error instanceof AttemptFailed)) throw error;
        const transport = isTransport(error.cause);
        if (!read && error.reached) {
          // Sent, then the connection died or the answer never came: the outcome is unknown.
          if (transport || error.cause instanceof SubgraphTimeoutError)
            throw new SubgraphConnectionLost(url, error.cause);
          throw error.cause;
        }
        if (!transport) throw error.cause;
        if (!error.reached) {
          const pause = NEVER_REACHED_RETRY_PAUSES_MS[attemptNo];
          if (pause === undefined) throw new SubgraphUnreachable(url, error.cause);
          // A reused connection closed under us: a fresh one at once; a refused connect: a pause.
          if (TRANSPORT_CODES.has((error.cause as { code?: string }).code ?? ''))
            await new Promise((resolve) => setTimeout(resolve, pause));
          continue;
        }
        // A read that reached the subgraph: once more, at once (a read has no outcome to be unsure of).
        if (readRetried) throw new SubgraphUnreachable(url, error.cause);
        readRetried = true;
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
