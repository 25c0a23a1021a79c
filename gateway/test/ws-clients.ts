import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';

export interface Closed {
  code: number;
  reason: string;
}

export interface Connection {
  client: Client;
  /** Resolves with the first close of the socket. */
  closed: Promise<Closed>;
  dispose(): Promise<void>;
}

/** A graphql-ws client over a real socket that remembers how its socket was closed. */
export function connect(
  httpUrl: string,
  token?: string,
  options: { params?: Record<string, unknown>; headers?: Record<string, string> } = {},
): Connection {
  const { params, headers } = options;
  let resolveClosed: (closed: Closed) => void = () => undefined;
  const closed = new Promise<Closed>((resolve) => {
    resolveClosed = resolve;
  });
  const client = createClient({
    url: httpUrl.replace(/^http/, 'ws'),
    webSocketImpl: headers
      ? class extends WebSocket {
          constructor(address: string, protocols?: string | string[]) {
            super(address, protocols, { headers });
          }
        }
      : WebSocket,
    connectionParams: params ?? (token ? { authorization: `Bearer ${token}` } : {}),
    retryAttempts: 0,
    lazy: true,
    on: {
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: string | Buffer };
        resolveClosed({ code, reason: String(reason) });
      },
    },
  });
  return {
    client,
    closed,
    dispose: async () => {
      await client.dispose();
    },
  };
}

/**
 * A graphql-ws client with the reconnection settings docs/api.md gives partners (and the
 * dashboard uses): first retry 100–400 ms at random, doubling, capped at 3 s (1.5–3 s at random),
 * for ever except on the close codes that say the token or the client is at fault.
 */
export function connectRetrying(
  httpUrl: string,
  token: string,
  on: { closed?: () => void; connected?: () => void } = {},
): Connection {
  const terminal = new Set([4400, 4401, 4403, 4406, 4409, 4429]);
  let resolveClosed: (closed: Closed) => void = () => undefined;
  const closed = new Promise<Closed>((resolve) => {
    resolveClosed = resolve;
  });
  const client = createClient({
    url: httpUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    lazy: true,
    retryAttempts: Number.POSITIVE_INFINITY,
    retryWait: async (retries) => {
      let delay = (100 + Math.random() * 300) * 2 ** Math.min(retries, 20);
      if (delay > 3000) delay = 1500 + Math.random() * 1500;
      await new Promise((resolve) => setTimeout(resolve, delay));
    },
    shouldRetry: (event) => {
      const code = (event as { code?: unknown } | undefined)?.code;
      return typeof code !== 'number' || !terminal.has(code);
    },
    on: {
      connected: () => on.connected?.(),
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: string | Buffer };
        resolveClosed({ code, reason: String(reason) });
        on.closed?.();
      },
    },
  });
  return {
    client,
    closed,
    dispose: async () => {
      await client.dispose();
    },
  };
}

export interface Payload<T = Record<string, unknown>> {
  data?: T | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
}

export interface Recorder<T = Record<string, unknown>> {
  /** `next` payloads, in order. */
  results: Payload<T>[];
  /** Set when the server sent an `error` message (or the socket failed): the errors or the close event. */
  failure: unknown;
  completed: boolean;
  /** Waits until `count` payloads arrived (or the operation ended, or the time is up). */
  next(count?: number, timeoutMs?: number): Promise<Payload<T>>;
  /** Waits until the operation completed or failed. */
  ended(timeoutMs?: number): Promise<void>;
  unsubscribe(): void;
}

export function record<T = Record<string, unknown>>(
  client: Client,
  query: string,
  variables: Record<string, unknown> = {},
): Recorder<T> {
  const waiters = new Set<() => void>();
  const wake = () => waiters.forEach((w) => w());
  const recorder: Recorder<T> = {
    results: [],
    failure: undefined,
    completed: false,
    next: async (count = recorder.results.length + 1, timeoutMs = 5000) => {
      await waitFor(
        () => recorder.results.length >= count || recorder.completed || recorder.failure !== undefined,
        timeoutMs,
      );
      const result = recorder.results[count - 1];
      if (!result) {
        throw new Error(
          `payload ${count} never arrived (completed=${recorder.completed}, failure=${JSON.stringify(recorder.failure)})`,
        );
      }
      return result;
    },
    ended: (timeoutMs = 5000) =>
      waitFor(() => recorder.completed || recorder.failure !== undefined, timeoutMs),
    unsubscribe: () => dispose(),
  };
  const waitFor = (condition: () => boolean, timeoutMs: number) =>
    new Promise<void>((resolve, reject) => {
      if (condition()) return resolve();
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`timed out after ${timeoutMs} ms with ${recorder.results.length} payloads`));
      }, timeoutMs);
      const check = () => {
        if (!condition()) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve();
      };
      waiters.add(check);
    });
  const dispose = client.subscribe<T>(
    { query, variables },
    {
      next: (value) => {
        recorder.results.push(value as Payload<T>);
        wake();
      },
      error: (error) => {
        recorder.failure = error;
        wake();
      },
      complete: () => {
        recorder.completed = true;
        wake();
      },
    },
  );
  return recorder;
}

/** Polls `check` every 10 ms until it holds. */
export async function until(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 5000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
