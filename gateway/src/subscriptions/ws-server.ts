import { randomUUID } from 'node:crypto';
import { type Server as HttpServer } from 'node:http';
import {
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  GraphQLError,
  type GraphQLSchema,
  type OperationDefinitionNode,
  getVariableValues,
} from 'graphql';
import { CloseCode, makeServer } from 'graphql-ws';
import { WebSocketServer } from 'ws';
import { ErrorCode, type Logger } from '@lic/shared/core';
import { type Credentials, authenticate, currentAuthorization, normaliseAuthorization } from '../auth.js';
import { type GatewayContext } from '../context.js';
import { maskedGraphQLError } from '../errors.js';
import { type OperationGuard } from '../limits/operation-guard.js';
import { type GatewayMetrics } from '../metrics.js';
import { type AuthorizationVerifier } from '../token-cache.js';
import { type Throttle, rateLimitedError } from '../limits/throttle.js';
import { type SubscriptionBridge } from './bridge.js';
import { SharedPayloads } from './shared-payloads.js';
import { type SocketExtra, attachProtocol } from './ws-adapter.js';

/**
 * Close codes the gateway uses on client sockets:
 * - 4401 Unauthorized: no token, a token that fails verification, a token that expired while
 *   the socket was open (reason: "Token has expired"), or a credential revoked while it was open
 *   (reason: "This credential was revoked": a machine credential replaced by a new one). graphql-ws clients do not retry 4401; a
 *   client reconnects with a fresh token.
 * - 4429 Too many requests: the connection is over a rate limit (reason: which, and the seconds to
 *   wait); graphql-ws clients do not retry it on their own.
 * - 4400, 4403 (other), 4408, 4409: graphql-ws protocol violations, as the library defines.
 * - 1009: a message larger than the request size limit.
 */
export const TOKEN_REJECTED_CLOSE_CODE = CloseCode.Unauthorized;
export const RATE_LIMITED_CLOSE_CODE = 4429;

/** The longest delay setTimeout accepts; later expiries re-arm. */
const MAX_TIMER_MS = 2_147_483_647;

interface SocketState {
  credentials: Credentials;
  /** The peer's address, recorded with each mutation in the audit log. */
  clientAddress: string;
  /** Closes the socket when the token expires (tokens without `exp` never do). */
  expiryTimer: NodeJS.Timeout | undefined;
}

interface OperationContext {
  gateway: GatewayContext;
  clientAddress: string;
  cacheKey: string;
  query: string;
  operation: OperationDefinitionNode;
  document: DocumentNode;
  variables: Record<string, unknown>;
}

export interface WsServerOptions {
  httpServer: HttpServer;
  path: string;
  verifier: AuthorizationVerifier;
  /** Connections count as requests (address, failed sign-ins, principal); so does each operation. */
  throttle?: Throttle;
  guard: OperationGuard;
  bridge: SubscriptionBridge;
  schema(): GraphQLSchema | undefined;
  /** Queries and mutations sent over the socket run through Apollo, like HTTP ones. */
  executeOperation(
    request: { query: string; variables: Record<string, unknown>; operationName?: string },
    context: GatewayContext,
  ): Promise<ExecutionResult>;
  metrics: GatewayMetrics;
  keepAliveMs: number;
  maxPayloadBytes: number;
  logger: Logger;
  /**
   * Sockets are accepted before the gateway is ready: each `connection_init` is answered once this
   * resolves (nothing about the connection is decided before), and refused (1011) if it rejects.
   */
  ready?: Promise<void>;
}

export interface WsServerHandle {
  readonly connections: number;
  /** Closes (4401) every socket authenticated by a token with this subject; how many were open. */
  revoke(sub: string): number;
  close(): Promise<void>;
}

function closeReason(message: string): string {
  // WebSocket close reasons are limited to 123 bytes.
  return Buffer.byteLength(message) <= 123 ? message : 'Unauthorized';
}

function errorCodes(errors: readonly GraphQLError[] | undefined): unknown[] {
  return (errors ?? []).map((e) => e.extensions?.['code']);
}

/** graphql-ws on the gateway's HTTP server: authentication, limits, then the subscription bridge. */
export function startWsServer(options: WsServerOptions): WsServerHandle {
  const { verifier, guard, bridge, metrics, logger } = options;
  const wsServer = new WebSocketServer({
    server: options.httpServer,
    path: options.path,
    maxPayload: options.maxPayloadBytes,
  });
  const sockets = new WeakMap<object, SocketState>();
  // Each event's result serialised once for all its subscribers (see SharedPayloads).
  const payloads = new SharedPayloads();

  const armExpiry = (socket: { close(code: number, reason: string): void }, expiresAt: Date | undefined) => {
    if (!expiresAt) return undefined;
    const delay = expiresAt.getTime() - Date.now();
    return setTimeout(
      () => {
        if (expiresAt.getTime() <= Date.now()) socket.close(TOKEN_REJECTED_CLOSE_CODE, 'Token has expired');
        else {
          const state = sockets.get(socket);
          if (state) state.expiryTimer = armExpiry(socket, expiresAt);
        }
      },
      Math.min(Math.max(delay, 0), MAX_TIMER_MS),
    );
  };

  const protocol = makeServer<Record<string, unknown>, SocketExtra>({
    onConnect: async (ctx) => {
      if (options.ready) {
        try {
          await options.ready;
        } catch {
          ctx.extra.socket.close(CloseCode.InternalServerError, 'The gateway did not start');
          return false;
        }
      }
      const raw = ctx.connectionParams?.['authorization'] ?? ctx.extra.request.headers.authorization;
      const authorization = normaliseAuthorization(raw);
      if (options.throttle) {
        const address = (ctx.extra.request.socket.remoteAddress ?? 'unknown').replace(/^::ffff:/, '');
        const { refused } = await options.throttle.admit(verifier, address, authorization);
        if (refused) {
          metrics.countErrors([ErrorCode.RATE_LIMITED]);
          ctx.extra.socket.close(RATE_LIMITED_CLOSE_CODE, closeReason(refused.message));
          return false;
        }
      }
      try {
        const credentials = await authenticate(verifier, authorization);
        const expiryTimer = armExpiry(ctx.extra.socket, credentials.principal.expiresAt);
        const clientAddress = (ctx.extra.request.socket.remoteAddress ?? 'unknown').replace(/^::ffff:/, '');
        sockets.set(ctx.extra.socket, { credentials, expiryTimer, clientAddress });
        return true;
      } catch (error) {
        metrics.countErrors([ErrorCode.UNAUTHENTICATED]);
        const message = error instanceof Error ? error.message : 'Token is invalid';
        logger.debug({ reason: message }, 'graphql-ws connection refused');
        ctx.extra.socket.close(TOKEN_REJECTED_CLOSE_CODE, closeReason(message));
        return false;
      }
    },
    onClose: (ctx) => {
      const state = sockets.get(ctx.extra.socket);
      if (state) clearTimeout(state.expiryTimer);
      sockets.delete(ctx.extra.socket);
    },
    onSubscribe: async (ctx, _id, payload) => {
      const state = sockets.get(ctx.extra.socket);
      const schema = options.schema();
      if (!state || !schema) return [new GraphQLError('The connection is not ready')];
      const verdict = await options.throttle?.admitPrincipal(state.credentials.principal);
      if (verdict && !verdict.allowed) {
        metrics.countErrors([ErrorCode.RATE_LIMITED]);
        return [rateLimitedError(verdict)];
      }
      const operationName = payload.operationName ?? undefined;
      const prepared = guard.prepare(payload.query, operationName, {
        roles: state.credentials.principal.roles,
        variables: payload.variables ?? null,
      });
      if (!prepared.ok) {
        metrics.requests.inc({ transport: 'ws', operation: 'unknown' });
        metrics.countErrors(errorCodes(prepared.errors));
        return prepared.errors;
      }
      const variables = payload.variables ?? {};
      const kind = prepared.operation.operation;
      metrics.requests.inc({ transport: 'ws', operation: kind });
      const coerced = getVariableValues(schema, prepared.operation.variableDefinitions ?? [], variables);
      if (coerced.errors) {
        const errors = coerced.errors.map(
          (e) =>
            new GraphQLError(e.message, { nodes: e.nodes, extensions: { code: ErrorCode.BAD_USER_INPUT } }),
        );
        metrics.countErrors(errorCodes(errors));
        return errors;
      }
      let authorization: string;
      try {
        authorization = await currentAuthorization(state.credentials);
      } catch (error) {
        metrics.countErrors([ErrorCode.UNAUTHENTICATED]);
        return [
          error instanceof GraphQLError ? error : new GraphQLError('This credential is no longer valid'),
        ];
      }
      const contextValue: OperationContext = {
        gateway: {
          principal: state.credentials.principal,
          authorization,
          ...(state.credentials.renew ? { renew: state.credentials.renew } : {}),
        },
        clientAddress: state.clientAddress,
        cacheKey: `${operationName ?? ''}\u0000${payload.query}`,
        query: payload.query,
        operation: prepared.operation,
        document: prepared.document,
        variables,
      };
      const args: ExecutionArgs = {
        schema,
        document: prepared.document,
        variableValues: variables,
        contextValue,
        ...(operationName ? { operationName } : {}),
      };
      return args;
    },
    subscribe: (args) => {
      const started = performance.now();
      const context = args.contextValue as OperationContext;
      const result = bridge.subscribe({
        cacheKey: context.cacheKey,
        document: context.document,
        operation: context.operation,
        variables: context.variables,
        credentials: context.gateway,
      });
      metrics.duration.observe(
        { transport: 'ws', operation: 'subscription' },
        (performance.now() - started) / 1000,
      );
      return result;
    },
    execute: async (args) => {
      const started = performance.now();
      const context = args.contextValue as OperationContext;
      const result = await options.executeOperation(
        {
          query: context.query,
          variables: context.variables,
          ...(context.operation.name ? { operationName: context.operation.name.value } : {}),
        },
        // A query or mutation over the socket is a request of its own for the audit log.
        {
          ...context.gateway,
          requestFacts: { requestId: randomUUID(), clientAddress: context.clientAddress },
        },
      );
      metrics.duration.observe(
        { transport: 'ws', operation: context.operation.operation },
        (performance.now() - started) / 1000,
      );
      return result;
    },
    onNext: (_ctx, _id, _payload, _args, result) => {
      if (result.errors) metrics.countErrors(errorCodes(result.errors));
      return payloads.reference(result);
    },
    onError: (_ctx, _id, _payload, errors) => {
      return errors.map((e) => maskedGraphQLError(e).error.toJSON());
    },
  });
  const disposable = attachProtocol(protocol, wsServer, {
    keepAliveMs: options.keepAliveMs,
    logger,
    outgoing: (message) => payloads.expand(message),
  });

  return {
    get connections() {
      return wsServer.clients.size;
    },
    revoke: (sub) => {
      let closed = 0;
      for (const socket of wsServer.clients) {
        if (sockets.get(socket)?.credentials.principal.sub !== sub) continue;
        socket.close(TOKEN_REJECTED_CLOSE_CODE, 'This credential was revoked');
        closed += 1;
      }
      return closed;
    },
    close: async () => {
      await disposable.dispose();
    },
  };
}
