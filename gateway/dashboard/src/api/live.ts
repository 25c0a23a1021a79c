import { type TypedDocumentNode } from '@graphql-typed-document-node/core';
import { type Client, createClient } from 'graphql-ws';
import { ApiError, GRAPHQL_PATH, operationText } from './graphql.js';
import { closeCodeOf, reconnectDelayMs, shouldReconnect } from './reconnect.js';

export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'offline';

export interface LiveConnection {
  readonly client: Client;
  state(): LiveState;
  /** Called with every state change; returns an unsubscribe function. */
  onState(listener: (state: LiveState) => void): () => void;
  /** Called after a reconnect, so views can catch up on what they missed while offline. */
  onReconnect(listener: () => void): () => void;
  close(): void;
}

function liveUrl(): string {
  const { protocol, host } = window.location;
  return `${protocol === 'https:' ? 'wss' : 'ws'}://${host}${GRAPHQL_PATH}`;
}

/**
 * One graphql-ws connection per signed-in session, shared by every view. It reconnects for ever
 * (a wall display must survive a gateway restart) except when the server refuses the token.
 */
export function connectLive(token: string, onFatal: (reason: string) => void): LiveConnection {
  let state: LiveState = 'connecting';
  const stateListeners = new Set<(s: LiveState) => void>();
  const reconnectListeners = new Set<() => void>();
  const setState = (next: LiveState) => {
    if (next === state) return;
    state = next;
    stateListeners.forEach((l) => l(next));
  };
  let everConnected = false;
  const client = createClient({
    url: liveUrl(),
    connectionParams: { authorization: `Bearer ${token}` },
    lazy: true,
    keepAlive: 10_000,
    retryAttempts: Number.POSITIVE_INFINITY,
    // Back within moments of a gateway restart, without every screen retrying at once.
    retryWait: async (retries) => {
      await new Promise((r) => setTimeout(r, reconnectDelayMs(retries)));
    },
    shouldRetry: (event) => {
      if (shouldReconnect(event)) return true;
      const reason = (event as { reason?: string }).reason;
      onFatal(reason || `The live connection was refused (code ${closeCodeOf(event) ?? '?'})`);
      return false;
    },
    on: {
      connecting: () => setState(everConnected ? 'reconnecting' : 'connecting'),
      connected: (_socket, _payload, wasRetry) => {
        const resumed = everConnected || wasRetry;
        everConnected = true;
        setState('live');
        if (resumed) reconnectListeners.forEach((l) => l());
      },
      closed: () => setState(everConnected ? 'reconnecting' : 'offline'),
    },
  });
  return {
    client,
    state: () => state,
    onState: (listener) => {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    onReconnect: (listener) => {
      reconnectListeners.add(listener);
      return () => reconnectListeners.delete(listener);
    },
    close: () => {
      setState('offline');
      void client.dispose();
    },
  };
}

/** Subscribes with a typed operation; errors carry the API's stable code. */
export function subscribeTyped<TResult, TVariables>(
  live: LiveConnection,
  document: TypedDocumentNode<TResult, TVariables>,
  variables: TVariables,
  handlers: { next: (data: TResult) => void; error: (error: ApiError) => void },
): () => void {
  return live.client.subscribe<TResult>(
    { query: operationText(document), variables: variables as Record<string, unknown> },
    {
      next: (result) => {
        const first = result.errors?.[0];
        if (first) {
          handlers.error(
            new ApiError(first.message, (first.extensions as { code?: string } | undefined)?.code),
          );
        } else if (result.data) {
          handlers.next(result.data as TResult);
        }
      },
      error: (error) => {
        if (Array.isArray(error)) {
          const first = error[0] as { message?: string; extensions?: { code?: string } } | undefined;
          handlers.error(new ApiError(first?.message ?? 'Subscription refused', first?.extensions?.code));
        } else if (error instanceof Error) {
          handlers.error(new ApiError(error.message, undefined));
        } else {
          const close = error as { code?: number; reason?: string };
          handlers.error(
            new ApiError(close.reason || `Live connection closed (code ${close.code ?? '?'})`, undefined),
          );
        }
      },
      complete: () => undefined,
    },
  );
}
