import { type IncomingMessage, type ServerResponse } from 'node:http';
import { type ReadinessReport } from '@lic/shared/core';

/**
 * The gateway listens before it is ready (see gateway/src/subscriptions/README.md, "Clients
 * reconnecting to the gateway"): a client reconnecting to a restarting gateway holds an open
 * socket instead of being refused and backing off, and is served the moment the gateway is ready.
 * Until then nothing is decided: `connection_init` and HTTP requests wait for `ready`.
 */
export class StartupGate {
  readonly ready: Promise<void>;
  private isOpen = false;
  private release: () => void = () => undefined;
  private abandon: (error: Error) => void = () => undefined;

  constructor() {
    this.ready = new Promise<void>((resolve, reject) => {
      this.release = resolve;
      this.abandon = reject;
    });
    // Whoever waits handles the refusal; an unobserved one is not a crash.
    this.ready.catch(() => undefined);
  }

  get open(): boolean {
    return this.isOpen;
  }

  /** The gateway is ready: everything held is served now. */
  opened(): void {
    this.isOpen = true;
    this.release();
  }

  /** The start failed: whatever was held is dropped. */
  failed(error: Error): void {
    this.abandon(error);
  }
}

/** What `/readyz` says before the gateway is ready: not ready (503), starting. */
export const STARTING_REPORT: ReadinessReport = {
  status: 'not ready',
  service: 'gateway',
  checks: { startup: { ok: false, error: 'starting' } },
};

/**
 * A request that arrives before the gateway is ready: `/healthz` and `/readyz` are answered at
 * once (alive; not ready, starting), anything else is served by `serve` once the gateway is
 * ready, or its connection dropped when the start fails.
 */
export function holdUntilReady(
  gate: StartupGate,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  serve: (req: IncomingMessage, res: ServerResponse) => void,
): void {
  if (path === '/healthz' || path === '/readyz') {
    const [status, body] =
      path === '/healthz' ? [200, { status: 'ok', service: 'gateway' }] : [503, STARTING_REPORT];
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
    return;
  }
  gate.ready.then(
    // A client that gave up meanwhile (its timeout) is not served: nobody would read the answer.
    () => (req.socket.destroyed ? undefined : serve(req, res)),
    () => res.destroy(),
  );
}
