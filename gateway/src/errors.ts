import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ErrorCode, maskFormattedError } from '@lic/shared/core';

/** `extensions.reason` of the one internal error the gateway shows as is: a subgraph could not be reached. */
export const SUBGRAPH_UNAVAILABLE = 'SUBGRAPH_UNAVAILABLE';
/**
 * `extensions.reason` of a mutation whose subgraph connection was lost (or timed out) after the
 * operation was sent: it may have taken effect or not, and the gateway does not know which.
 */
export const CONNECTION_LOST_AFTER_SEND = 'CONNECTION_LOST_AFTER_SEND';
/** The reasons of the gateway's own transport errors, shown as they are (no host, port or stack). */
const TRANSPORT_REASONS = new Set([SUBGRAPH_UNAVAILABLE, CONNECTION_LOST_AFTER_SEND]);

export function unauthenticatedError(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } },
  });
}

export { queryTooComplexError } from '@lic/shared/core';

/** A malformed request (syntax, validation, variables): BAD_USER_INPUT, with the GraphQL reason. */
export function requestError(reason: string, error: GraphQLError): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    extensions: { code: ErrorCode.BAD_USER_INPUT, reason },
  });
}

/** A request that cannot be run as sent (which operation, which transport): BAD_REQUEST, 400. */
export function badRequestError(message: string, reason: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: ErrorCode.BAD_REQUEST, reason, http: { status: 400 } },
  });
}

/** An invalid variable value (a date that does not exist, a wrong type): BAD_USER_INPUT, 400. */
export function invalidVariableError(error: GraphQLError): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    extensions: { code: ErrorCode.BAD_USER_INPUT, reason: 'INVALID_VARIABLES', http: { status: 400 } },
  });
}

export function subgraphUnavailableError(service: string): GraphQLError {
  return new GraphQLError(`The ${service} service is unavailable; try again shortly`, {
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, reason: SUBGRAPH_UNAVAILABLE, service },
  });
}

/** A mutation sent to `service` whose connection was lost before its answer came: outcome unknown. */
export function connectionLostError(service: string): GraphQLError {
  return new GraphQLError(
    `The connection to the ${service} service was lost after the request was sent: whether it took effect is unknown. Read back what it would have changed before trying again`,
    { extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, reason: CONNECTION_LOST_AFTER_SEND, service } },
  );
}

/** Whether the error chain holds the fetcher's "sent, then the connection was lost". */
export function isConnectionLostAfterSend(error: unknown): boolean {
  return /\bSubgraphConnectionLost\b/.test(errorChainText(error));
}

const TRANSPORT_FAILURE =
  /ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|socket hang up|other side closed|TimeoutError|aborted due to timeout|SubgraphUnreachable|SubgraphConnectionLost/i;

/** Walks `originalError`/`cause` links: the executor wraps fetch failures a level or two deep. */
export function errorChainText(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth += 1) {
    const e = current as {
      name?: unknown;
      message?: unknown;
      code?: unknown;
      originalError?: unknown;
      cause?: unknown;
    };
    parts.push(String(e.name ?? ''), String(e.message ?? ''), String(e.code ?? ''));
    current = e.originalError ?? e.cause;
  }
  return parts.join(' ');
}

export function isTransportFailure(error: unknown): boolean {
  return TRANSPORT_FAILURE.test(errorChainText(error));
}

/** Anything thrown becomes a GraphQLError (the query-plan executor hands back raw fetch errors). */
export function toGraphQLError(error: unknown, path?: ReadonlyArray<string | number>): GraphQLError {
  if (error instanceof GraphQLError) {
    if (path && !error.path) {
      return new GraphQLError(error.message, { path, originalError: error, extensions: error.extensions });
    }
    return error;
  }
  const original = error instanceof Error ? error : new Error(String(error));
  return new GraphQLError(original.message, { originalError: original, ...(path ? { path } : {}) });
}

/**
 * What a client may see of an error (shared masking rules), except that the gateway's own
 * "service unavailable" error keeps its message: it names no host, port or stack.
 */
export function maskError(formatted: GraphQLFormattedError): {
  error: GraphQLFormattedError;
  masked: boolean;
} {
  const extensions = formatted.extensions ?? {};
  if (
    TRANSPORT_REASONS.has(String(extensions['reason'])) &&
    extensions['code'] === ErrorCode.INTERNAL_SERVER_ERROR
  ) {
    const { message, path, locations } = formatted;
    return {
      error: {
        message,
        ...(locations ? { locations } : {}),
        ...(path ? { path } : {}),
        extensions: {
          code: extensions['code'],
          reason: extensions['reason'],
          service: extensions['service'],
        },
      },
      masked: false,
    };
  }
  const result = maskFormattedError(formatted);
  const ext = result.error.extensions;
  if (ext && ('http' in ext || 'serviceName' in ext)) {
    // `http` is stripped by Apollo for HTTP responses only; `serviceName` (added by the executor)
    // exposes the topology behind the gateway, which clients must not come to depend on.
    const { http: _http, serviceName: _serviceName, ...rest } = ext;
    return { error: { ...result.error, extensions: rest }, masked: result.masked };
  }
  return result;
}

/** A masked error as a GraphQLError again (graphql-ws serialises errors with `toJSON`). */
export function maskedGraphQLError(error: GraphQLError): { error: GraphQLError; masked: boolean } {
  const { error: safe, masked } = maskError(error.toJSON());
  return {
    error: new GraphQLError(safe.message, {
      ...(safe.path ? { path: safe.path } : {}),
      ...(error.nodes ? { nodes: error.nodes } : {}),
      extensions: safe.extensions ?? {},
    }),
    masked,
  };
}
