import { type GraphQLFormattedError } from 'graphql';
import { ErrorCode, isStableCode } from './errors.js';

const REQUEST_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

/** Driver codes of a database that cannot take a write now (SQLite's disk, MariaDB's connection). */
const STORAGE_CODES =
  /^(SQLITE_FULL|SQLITE_READONLY.*|SQLITE_IOERR.*|SQLITE_CANTOPEN|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|PROTOCOL_CONNECTION_LOST|ER_CON_COUNT_ERROR|ER_SERVER_SHUTDOWN)$/;
const STORAGE_MESSAGES =
  /database or disk is full|attempt to write a readonly database|disk I\/O error|read-only file system/i;

/**
 * Whether an error (or what it wraps: GraphQL's originalError, TypeORM's driverError, a cause)
 * says the database could not be written or reached, rather than a bug.
 */
export function isStorageFailure(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 5) return false;
  const e = error as {
    code?: unknown;
    message?: unknown;
    originalError?: unknown;
    driverError?: unknown;
    cause?: unknown;
  };
  if (typeof e.code === 'string' && STORAGE_CODES.test(e.code)) return true;
  if (typeof e.message === 'string' && STORAGE_MESSAGES.test(e.message)) return true;
  return [e.originalError, e.driverError, e.cause].some((inner) => isStorageFailure(inner, depth + 1));
}

/**
 * What a client may see of an error: rule violations and request errors keep their message and
 * a stable code; anything else (a bug, SQL, a stack) becomes INTERNAL_SERVER_ERROR. The caller
 * logs the original.
 */
export function maskFormattedError(
  formatted: GraphQLFormattedError,
  original?: unknown,
): {
  error: GraphQLFormattedError;
  masked: boolean;
} {
  const code = formatted.extensions?.['code'];
  const extensions = { ...(formatted.extensions ?? {}) };
  delete extensions['stacktrace'];
  delete extensions['exception'];
  if (isStableCode(code) && code !== ErrorCode.INTERNAL_SERVER_ERROR) {
    return { error: { ...formatted, extensions }, masked: false };
  }
  if (typeof code === 'string' && REQUEST_ERROR_CODES.has(code)) {
    return {
      error: { ...formatted, extensions: { ...extensions, code: ErrorCode.BAD_USER_INPUT, reason: code } },
      masked: false,
    };
  }
  if (code === ErrorCode.INTERNAL_SERVER_ERROR && formatted.message === 'Internal server error') {
    return { error: { ...formatted, extensions: { code } }, masked: false };
  }
  if (isStorageFailure(original)) {
    // Still logged by the caller (masked), but the client learns what kind of failure it met and may retry.
    return {
      error: {
        message:
          'The database cannot take changes now (disk full or read-only, or not reachable); retry later',
        ...(formatted.locations ? { locations: formatted.locations } : {}),
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions: { code: ErrorCode.STORAGE_UNAVAILABLE },
      },
      masked: true,
    };
  }
  return {
    error: {
      message: 'Internal server error',
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    },
    masked: true,
  };
}
