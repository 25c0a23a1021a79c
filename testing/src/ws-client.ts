import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { type GatewaySigner } from '@lic/shared';
import { testSigner } from './config.js';

export interface TestSubscription<T> {
  /** Every payload received so far. */
  received: Array<{ data?: T | null; errors?: unknown }>;
  /** Resolves with the n-th payload (1-based) once it arrives. */
  next(n?: number, timeoutMs?: number): Promise<{ data?: T | null; errors?: unknown }>;
  close(): void;
}

/**
 * A graphql-ws client over a real socket; `authorization` travels in connectionParams, with the
 * gateway's signature (testSigner by default, so a subgraph accepts it; null: unsigned).
 */
export function wsClient(
  httpUrl: string,
  token?: string,
  signer: GatewaySigner | null = testSigner(),
): Client {
  const url = httpUrl.replace(/^http/, 'ws');
  const authorization = token ? `Bearer ${token}` : undefined;
  return createClient({
    url,
    webSocketImpl: WebSocket,
    connectionParams: () =>
      signer ? signer.connectionParams(url, authorization) : authorization ? { authorization } : {},
    retryAttempts: 0,
    lazy: true,
  });
}

export function subscribe<T = Record<string, unknown>>(
  client: Client,
  query: string,
  variables: Record<string, unknown> = {},
): TestSubscription<T> {
  const received: TestSubscription<T>['received'] = [];
  const waiters: Array<() => void> = [];
  let failure: unknown;
  const dispose = client.subscribe<T>(
    { query, variables },
    {
      next: (value) => {
        received.push(value as { data?: T | null; errors?: unknown });
        waiters.splice(0).forEach((w) => w());
      },
      error: (error) => {
        failure = error;
        waiters.splice(0).forEach((w) => w());
      },
      complete: () => waiters.splice(0).forEach((w) => w()),
    },
  );
  return {
    received,
    next: async (n = received.length + 1, timeoutMs = 5000) => {
      const deadline = Date.now() + timeoutMs;
      while (received.length < n) {
        if (failure) throw failure instanceof Error ? failure : new Error(JSON.stringify(failure));
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`subscription payload ${n} not received within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(t);
            resolve();
          });
        });
      }
      return received[n - 1]!;
    },
    close: () => dispose(),
  };
}
