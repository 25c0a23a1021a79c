import { type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';

/**
 * How long a kept-alive connection must have been idle before a draining server closes it. A
 * client may be writing a request onto an idle connection at the instant the server closes it: the
 * request is lost and the client cannot tell whether it ran. The gateway sends a mutation on a
 * connection idle 0.5 s or more only behind `Expect: 100-continue` (safe to retry when the connection
 * dies), so closing only connections idle longer than that leaves no mutation in doubt. The gateway
 * counts idle time from when it received the last answer, which a load balancer or a loaded host
 * can delay: the 1.5 s between the two bounds is for that lag (the fault suite's rolling restart
 * lost a mutation on a loaded host with 1 s and 1.5 s). Requests that arrive meanwhile are
 * answered with `Connection: close`.
 */
export const DRAIN_IDLE_LINGER_MS = 2000;

/** The part of the logger shutdown needs (pino's, or the console's in a launcher). */
export interface ShutdownLogger {
  info(details: Record<string, unknown>, message: string): void;
  warn(details: Record<string, unknown>, message: string): void;
  error(details: Record<string, unknown>, message: string): void;
}

export interface HttpDrain {
  /** Requests being answered now. */
  readonly inFlight: number;
  /**
   * Stops accepting connections, answers the requests in flight (and any that arrive on kept-alive
   * connections meanwhile) with `Connection: close`, closes each kept-alive connection once it has
   * been idle DRAIN_IDLE_LINGER_MS, and waits for all that up to `graceMs`; then closes every
   * connection left. Resolves with how it went.
   */
  drain(graceMs: number): Promise<{ graceful: boolean; waitedFor: number; cut: number }>;
}

/**
 * Tracks the requests in flight on `server` so that it can be drained. Installed before any
 * request listener (it must see every request first).
 */
export function trackHttp(server: HttpServer, idleLingerMs = DRAIN_IDLE_LINGER_MS): HttpDrain {
  const inFlight = new Set<ServerResponse>();
  // Kept-alive connections that have carried a request (not upgraded ones): requests running on
  // each, and since when it has been idle.
  const connections = new Map<Socket, { busy: number; idleSince: number }>();
  let draining = false;
  const closeAfter = (req: IncomingMessage, res: ServerResponse) => {
    if (!res.headersSent) res.setHeader('connection', 'close');
    // Headers already sent kept the connection alive: it ends once this response has.
    else res.once('finish', () => req.socket.end());
  };
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    inFlight.add(res);
    const socket = req.socket;
    let connection = connections.get(socket);
    if (!connection) {
      connection = { busy: 0, idleSince: 0 };
      connections.set(socket, connection);
      socket.once('close', () => connections.delete(socket));
    }
    connection.busy += 1;
    if (draining) closeAfter(req, res);
    res.once('close', () => {
      inFlight.delete(res);
      connection.busy -= 1;
      connection.idleSince = performance.now();
    });
  });
  return {
    get inFlight() {
      return inFlight.size;
    },
    drain: async (graceMs) => {
      draining = true;
      const started = performance.now();
      // Refuses new connections from now on (net's close: http's would also close the idle
      // kept-alive connections at once, the race the linger is for).
      if (server.listening) NetServer.prototype.close.call(server);
      for (const res of inFlight) closeAfter(res.req, res);
      const waitedFor = inFlight.size;
      while (performance.now() - started < graceMs) {
        const now = performance.now();
        for (const [socket, c] of connections)
          if (c.busy === 0 && now - c.idleSince >= idleLingerMs) socket.destroy();
        if (inFlight.size === 0 && connections.size === 0) break;
        await new Promise((r) => setTimeout(r, 25));
      }
      const cut = inFlight.size;
      const graceful = cut === 0;
      server.closeAllConnections();
      return { graceful, waitedFor, cut };
    },
  };
}

export interface ShutdownPhase {
  name: string;
  run(): Promise<Record<string, unknown> | void>;
}

/**
 * The first phase of every server's shutdown: `/readyz` answers stopping, and the server keeps
 * accepting for `delayMs` meanwhile, so a load balancer probing it takes the process out first.
 */
export function readinessStoppingPhase(readiness: { markStopping(): void }, delayMs: number): ShutdownPhase {
  return {
    name: 'readiness answers stopping',
    run: async () => {
      readiness.markStopping();
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      return { delayMs };
    },
  };
}

/**
 * Runs the phases of a shutdown in order, one log line each (with how long it took and what it
 * reports); a phase that fails is logged and the next runs (a shutdown goes to its end).
 */
export async function runShutdown(logger: ShutdownLogger, phases: ShutdownPhase[]): Promise<void> {
  const started = performance.now();
  for (const phase of phases) {
    const at = performance.now();
    try {
      const details = (await phase.run()) ?? {};
      logger.info(
        { phase: phase.name, ms: Math.round(performance.now() - at), ...details },
        `shutdown: ${phase.name}`,
      );
    } catch (error) {
      logger.warn({ phase: phase.name, err: error }, `shutdown: ${phase.name} failed`);
    }
  }
  logger.info({ ms: Math.round(performance.now() - started) }, 'shutdown: done');
}

/** Resolves with `work`'s result, or with `fallback` after `ms` (the work goes on unawaited). */
export async function within<T>(work: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<T>((resolve) => {
        timer = setTimeout(() => resolve(fallback), Math.max(0, ms));
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export interface SignalOptions {
  logger: ShutdownLogger;
  /** The in-flight grace; the whole shutdown is given this plus `marginMs` before the process exits anyway. */
  graceMs: number;
  marginMs?: number;
  stop(): Promise<void>;
  /** Test hook (default: process.exit). */
  exit?: (code: number) => void;
  signals?: NodeJS.Signals[];
}

/**
 * SIGTERM or SIGINT: a graceful stop, then exit 0 (1 when the stop failed or overran its bound).
 * A second signal exits at once (code 130 for SIGINT, 143 for SIGTERM). Returns a function that
 * removes the handlers.
 */
export function exitOnSignals(options: SignalOptions): () => void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      options.logger.warn({ signal }, 'shutdown: second signal, exiting at once');
      exit(signal === 'SIGINT' ? 130 : 143);
      return;
    }
    stopping = true;
    options.logger.info({ signal, graceMs: options.graceMs }, 'shutdown: signal received');
    const bound = options.graceMs + (options.marginMs ?? 5000);
    const overrun = setTimeout(() => {
      options.logger.error({ ms: bound }, 'shutdown: did not finish in time, exiting');
      exit(1);
    }, bound);
    overrun.unref();
    options
      .stop()
      .then(
        () => exit(0),
        (error: unknown) => {
          options.logger.error({ err: error }, 'shutdown: failed');
          exit(1);
        },
      )
      .finally(() => clearTimeout(overrun));
  };
  for (const signal of signals) process.on(signal, onSignal);
  return () => {
    for (const signal of signals) process.off(signal, onSignal);
  };
}
