import { type IncomingMessage, type ServerResponse } from 'node:http';
import { ErrorCode, sendRefusal } from '@lic/shared/core';

export interface CorsOptions {
  /** Exact origins (`scheme://host[:port]`) a browser page may call the API from; empty: none. */
  allowedOrigins: readonly string[];
  /** How long a browser may reuse a preflight's answer. */
  maxAgeSeconds: number;
}

/** The methods a portal uses: POST for operations, GET for queries, OPTIONS for the preflight. */
export const CORS_ALLOWED_METHODS = ['GET', 'POST', 'OPTIONS'] as const;

/**
 * The request headers a portal may send: the body's type, its token, Apollo's CSRF-prevention
 * header and operation name, and the correlation headers clients and tracing libraries add.
 */
export const CORS_ALLOWED_HEADERS = [
  'content-type',
  'authorization',
  'apollo-require-preflight',
  'x-apollo-operation-name',
  'x-request-id',
  'traceparent',
  'tracestate',
] as const;

/** Response headers a portal's script may read (the rate-limit figures and the request id). */
export const CORS_EXPOSED_HEADERS = [
  'RateLimit-Limit',
  'RateLimit-Remaining',
  'RateLimit-Reset',
  'Retry-After',
  'x-request-id',
] as const;

/**
 * Cross-origin access to the GraphQL endpoint. Every answer carries `Vary: Origin` (it differs by
 * origin); a request from an allowed origin is granted with credentials; a preflight (OPTIONS
 * with `Access-Control-Request-Method`) is answered here: 204 with the grant for an allowed
 * origin, 403 FORBIDDEN without any grant otherwise (the browser then refuses the call).
 * Returns true when the request has been answered.
 */
export function createCors(options: CorsOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  const allowed = new Set(options.allowedOrigins);
  return (req, res) => {
    res.setHeader('Vary', 'Origin');
    const origin = req.headers.origin;
    const granted = origin !== undefined && allowed.has(origin);
    if (granted) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
    }
    const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
    if (!preflight) {
      if (granted) res.setHeader('Access-Control-Expose-Headers', CORS_EXPOSED_HEADERS.join(', '));
      return false;
    }
    if (!granted) {
      sendRefusal(
        res,
        403,
        ErrorCode.FORBIDDEN,
        'This origin may not call the API from a browser',
        'CORS_ORIGIN_NOT_ALLOWED',
      );
      return true;
    }
    res.writeHead(204, {
      'Access-Control-Allow-Methods': CORS_ALLOWED_METHODS.join(', '),
      'Access-Control-Allow-Headers': CORS_ALLOWED_HEADERS.join(', '),
      'Access-Control-Max-Age': String(options.maxAgeSeconds),
      'Content-Length': '0',
    });
    res.end();
    return true;
  };
}
