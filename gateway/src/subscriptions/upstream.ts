import { type Client, type FormattedExecutionResult, createClient } from 'graphql-ws';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import WebSocket from 'ws';
import {
  type GatewaySigner,
  type Logger,
  RESUME_CURSOR_EXTENSION,
  RESUME_REQUEST_EXTENSION,
} from '@lic/shared/core';
import { type Credentials } from '../auth.js';
import { subgraphUnavailableError, unauthenticatedError } from '../errors.js';
import { type UpstreamEvent } from './event-executor.js';
import { upstreamSubscribePayload } from '../telemetry.js';

export interface UpstreamOptions {
  /** Ping interval towards subgraphs; a pong missing for as long terminates and reconnects. */
  keepAliveMs: number;
  /**
   * First delay before reconnecting to a subgraph; each further attempt doubles it up to
   * `retryMaxDelayMs`, every delay drawn at random between half and all of it (jitter). A lost
   * or never-made connection is retried for as long as it has subscriptions: no window ends them.
   */
  retryInitialDelayMs: number;
  /** The longest delay between two connection attempts. */
  retryMaxDelayMs: number;
  /** How long an unused connection stays open for the next subscriber. */
  lingerMs: number;
  /** Signs each (re)connection for the subgraph, which accepts no unsigned connection. */
  signer: GatewaySigner;
}

export interface UpstreamSink {
  next(event: UpstreamEvent): void;
  /** The upstream subscription is over: completed by the subgraph, or failed (`errors` say why). */
  end(errors?: GraphQLError[]): void;
}

export interface UpstreamObserver {
  reconnected(service: string): void;
}

interface CloseLike {
  code: number;
  reason: string;
}

function isCloseLike(value: unknown): value is CloseLike {
  return typeof value === 'object' && value !== null && 'code' in value && 'reason' in value;
}

function isFormattedErrors(value: unknown): value is GraphQLFormattedError[] {
  return Array.isArray(value) && value.every((e) => typeof e === 'object' && e !== null && 'message' in e);
}

const REFUSED_CREDENTIALS = new Set([4401, 4403]);

/**
 * The delay before reconnection attempt `retries` (0 for the first retry): `initialMs` doubling
 * per attempt up to `maxMs`, then a random point between half and all of it, so that connections
 * lost together do not retry in step.
 */
export function retryDelayMs(
  retries: number,
  initialMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(retries, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * The WebSocket graphql-ws opens to a subgraph. graphql-ws detaches its error handler when it
 * terminates a connection; a socket still in its handshake then reports the abandoned handshake as
 * an 'error' event nobody listens to, which Node raises as an uncaught exception and which would
 * end the gateway. This one always has a listener: graphql-ws hears of every error it needs through
 * its own handlers, and what comes after it let go is of no interest.
 */
class UpstreamWebSocket extends WebSocket {
  constructor(...args: ConstructorParameters<typeof WebSocket>) {
    super(...args);
    this.on('error', () => undefined);
  }
}

export function toWebSocketUrl(httpUrl: string): string {
  return httpUrl.replace(/^http(s?):/i, 'ws$1:');
}

/**
 * One graphql-ws connection to one subgraph for one auth scope, multiplexing every upstream
 * subscription of that scope. Its connectionParams carry the freshest token of the scope's
 * current subscribers, read at each (re)connect, so a reconnect never presents a token that
 * expired while a newer one is at hand.
 */
export class UpstreamConnection {
  private readonly client: Client;
  private readonly credentials = new Map<string, { count: number; credentials: Credentials }>();
  private active = 0;
  private connected = false;
  private everConnected = false;
  private lostAt: number | undefined;
  /** Times an established connection was lost: an upstream subscription seeing it change resumed after a gap. */
  losses = 0;
  private lingerTimer: NodeJS.Timeout | undefined;
  private pongTimer: NodeJS.Timeout | undefined;
  private disposed = false;

  constructor(
    readonly service: string,
    readonly url: string,
    private readonly options: UpstreamOptions,
    private readonly observer: UpstreamObserver,
    private readonly logger: Logger,
    private readonly onIdle: (connection: UpstreamConnection) => void,
  ) {
    this.client = createClient({
      url: toWebSocketUrl(url),
      webSocketImpl: UpstreamWebSocket,
      // Connected from creation until disposed: the pool, not graphql-ws, decides when an idle
      // connection closes (after lingerMs, on an unref'd timer).
      lazy: false,
      onNonLazyError: (error) =>
        this.logger.debug({ subgraph: service, err: error }, 'upstream connection ended'),
      keepAlive: options.keepAliveMs,
      connectionAckWaitTimeout: 10_000,
      retryAttempts: Number.POSITIVE_INFINITY,
      shouldRetry: (errOrClose) => this.shouldRetry(errOrClose),
      retryWait: (retries) => {
        const delay = retryDelayMs(retries, options.retryInitialDelayMs, options.retryMaxDelayMs);
        return new Promise((resolve) => setTimeout(resolve, delay));
      },
      // Read at each (re)connect: a fresh signature, and the freshest token of the scope.
      connectionParams: async () => {
        const freshest = this.freshest();
        // An API key's platform token is renewed (it lives minutes, the key's socket longer).
        const authorization = freshest?.renew
          ? await freshest.renew().catch(() => freshest.authorization)
          : freshest?.authorization;
        return options.signer.connectionParams(toWebSocketUrl(url), authorization);
      },
      on: {
        connected: () => {
          if (this.lostAt !== undefined) this.observer.reconnected(service);
          this.connected = true;
          this.everConnected = true;
          this.lostAt = undefined;
        },
        closed: () => {
          if (this.connected) this.losses += 1;
          this.connected = false;
          clearTimeout(this.pongTimer);
          if (this.everConnected && this.lostAt === undefined) this.lostAt = Date.now();
        },
        ping: (received) => {
          // Our own ping went out: a half-open TCP connection shows as a pong that never comes.
          if (!received && options.keepAliveMs > 0) {
            clearTimeout(this.pongTimer);
            this.pongTimer = setTimeout(() => this.client.terminate(), options.keepAliveMs);
          }
        },
        pong: (received) => {
          if (received) clearTimeout(this.pongTimer);
        },
      },
    });
  }

  get subscriptions(): number {
    return this.active;
  }

  /** True while the connection is down (lost, or not made yet) with subscriptions waiting on it. */
  get waiting(): boolean {
    return !this.connected && this.active > 0;
  }

  get credentialCount(): number {
    return this.credentials.size;
  }

  /**
   * A subgraph that is down, restarting or not up yet is retried for ever: its subscriptions wait
   * and resume (graphql-ws subscribes them again) when it is back. Only refused credentials end
   * them here; graphql-ws itself ends them on the protocol's terminal close codes (4400, 4500…).
   */
  private shouldRetry(errOrClose: unknown): boolean {
    if (this.disposed) return false;
    return !(isCloseLike(errOrClose) && REFUSED_CREDENTIALS.has(errOrClose.code));
  }

  /** The credentials whose token expires last. */
  freshest(): Credentials | undefined {
    let best: Credentials | undefined;
    for (const { credentials } of this.credentials.values()) {
      const expiry = credentials.principal.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY;
      const bestExpiry = best?.principal.expiresAt?.getTime() ?? Number.NEGATIVE_INFINITY;
      if (!best || expiry > bestExpiry) best = credentials;
    }
    return best;
  }

  addCredentials(credentials: Credentials): void {
    const entry = this.credentials.get(credentials.authorization);
    if (entry) entry.count += 1;
    else this.credentials.set(credentials.authorization, { count: 1, credentials });
  }

  removeCredentials(credentials: Credentials): void {
    const entry = this.credentials.get(credentials.authorization);
    if (!entry) return;
    entry.count -= 1;
    if (entry.count <= 0) this.credentials.delete(credentials.authorization);
  }

  private failure(error: unknown): GraphQLError[] {
    if (isFormattedErrors(error)) {
      return error.map((e) => new GraphQLError(e.message, { extensions: e.extensions ?? {} }));
    }
    if (isCloseLike(error) && REFUSED_CREDENTIALS.has(error.code)) {
      return [unauthenticatedError(`The ${this.service} service refused the credentials`)];
    }
    this.logger.warn({ subgraph: this.service, err: error }, 'upstream subscription failed');
    return [subgraphUnavailableError(this.service)];
  }

  /** Starts one upstream subscription; the returned function ends it (idempotent). */
  subscribe(query: string, variables: Record<string, unknown>, sink: UpstreamSink): () => void {
    clearTimeout(this.lingerTimer);
    this.active += 1;
    let released = false;
    // graphql-ws reports `complete` for a subscription we ended ourselves: nobody listens by then.
    let stopped = false;
    const release = () => {
      if (released) return;
      released = true;
      this.active -= 1;
      if (this.active === 0) this.scheduleIdle();
    };
    // graphql-ws sends this same payload again on every re-subscription after a lost connection:
    // its resume point is kept current, so a subgraph that can replay what was missed does.
    const payload = upstreamSubscribePayload(this.service, query, variables);
    payload.extensions = { ...payload.extensions, [RESUME_REQUEST_EXTENSION]: { since: Date.now() } };
    const dispose = this.client.subscribe<Record<string, unknown>>(payload, {
      next: (value: FormattedExecutionResult<Record<string, unknown>>) => {
        const cursor = value.extensions?.[RESUME_CURSOR_EXTENSION];
        if (typeof cursor === 'string')
          payload.extensions = { ...payload.extensions, [RESUME_REQUEST_EXTENSION]: { cursor } };
        if (!stopped) sink.next(value);
      },
      error: (error: unknown) => {
        release();
        if (!stopped) sink.end(this.failure(error));
      },
      complete: () => {
        release();
        if (!stopped) sink.end();
      },
    });
    return () => {
      stopped = true;
      if (released) return;
      dispose();
      release();
    };
  }

  private scheduleIdle(): void {
    clearTimeout(this.lingerTimer);
    this.lingerTimer = setTimeout(() => {
      if (this.active === 0) this.onIdle(this);
    }, this.options.lingerMs);
    this.lingerTimer.unref();
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    clearTimeout(this.lingerTimer);
    clearTimeout(this.pongTimer);
    // A connection that never opened has nothing to close (its dispose rejects).
    const disposing = Promise.resolve(this.client.dispose()).catch(() => undefined);
    // One still being attempted (the subgraph down) is abandoned now, not when the attempt ends.
    if (!this.connected) this.client.terminate();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([disposing, new Promise((resolve) => (timer = setTimeout(resolve, 1000)))]);
    clearTimeout(timer);
  }
}

/** Upstream connections by subgraph and auth scope; idle ones close after `lingerMs`. */
export class UpstreamPool {
  private readonly connections = new Map<string, UpstreamConnection>();

  constructor(
    private readonly options: UpstreamOptions,
    private readonly observer: UpstreamObserver,
    private readonly logger: Logger,
  ) {}

  get size(): number {
    return this.connections.size;
  }

  all(): IterableIterator<UpstreamConnection> {
    return this.connections.values();
  }

  acquire(service: string, url: string, scope: string): UpstreamConnection {
    const key = JSON.stringify([service, url, scope]);
    let connection = this.connections.get(key);
    if (!connection) {
      connection = new UpstreamConnection(service, url, this.options, this.observer, this.logger, (idle) => {
        if (this.connections.get(key) === idle) this.connections.delete(key);
        void idle.dispose();
      });
      this.connections.set(key, connection);
    }
    return connection;
  }

  async close(): Promise<void> {
    const all = [...this.connections.values()];
    this.connections.clear();
    await Promise.all(all.map((c) => c.dispose()));
  }
}
