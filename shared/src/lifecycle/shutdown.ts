import { type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';

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
   * Stops accepting connections, closes idle kept-alive ones, answers the requests in flight
   * (and any that arrive on their connections meanwhile) with `Connection: close`, and waits for
   * them up to `graceMs`; then closes every connection left. Resolves with how it went.
   */
  drain(graceMs: number): Promise<{ graceful: boolean; waitedFor: number; cut: number }>;
}

/**
 * Tracks the requests in flight on `server` so that it can be drained. Installed before any
 * request listener (it must see every request first).
 */
export function trackHttp(server: HttpServer): HttpDrain {
  const inFlight = new Set<ServerResponse>();
  let draining = false;
  let settled: (() => void) | undefined;
  const closeAfter = (req: IncomingMessage, res: ServerResponse) => {
    if (!res.headersSent) res.setHeader('connection', 'close');
    // Headers already sent kept the connection alive: it ends once this response has.
    else res.once('finish', () => req.socket.end());
  };
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    inFlight.add(res);
    if (draining) closeAfter(req, res);
    res.once('close', () => {
      inFlight.delete(res);
      if (inFlight.size === 0) settled?.();
    });
  });
  return {
    get inFlight() {
      return inFlight.size;
    },
    drain: async (graceMs) => {
      draining = true;
      // Refuses new connections from now on; the callback would wait for upgraded sockets too.
      if (server.listening) server.close();
      server.closeIdleConnections();
      for (const res of inFlight) closeAfter(res.req, res);
      const waitedFor = inFlight.size;
      let graceful = true;
      if (inFlight.size > 0) {
        let timer: NodeJS.Timeout | undefined;
        graceful = await new Promise<boolean>((resolve) => {
          settled = () => resolve(true);
          timer = setTimeout(() => resolve(false), graceMs);
        });
        clearTimeout(timer);
        settled = undefined;
      }
      const cut = inFlight.size;
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
