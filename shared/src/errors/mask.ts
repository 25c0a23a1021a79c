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

/**
 * What a client may see of an error: rule violations and request errors keep their message and
 * a stable code; anything else (a bug, SQL, a stack) becomes INTERNAL_SERVER_ERROR. The caller
 * logs the original.
 */
export function maskFormattedError(formatted: GraphQLFormattedError): {
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
