import { GraphQLError } from 'graphql';

/** The stable codes of docs/api.md. Partners branch on these; never rename one. */
export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  LICENSE_EXHAUSTED: 'LICENSE_EXHAUSTED',
  ALLOCATION_METHOD_CONFLICT: 'ALLOCATION_METHOD_CONFLICT',
  STATION_ONLY_LICENSE: 'STATION_ONLY_LICENSE',
  CONCURRENT_NOT_ALLOWED_FOR_STATIONS: 'CONCURRENT_NOT_ALLOWED_FOR_STATIONS',
  MISSING_PREREQUISITE: 'MISSING_PREREQUISITE',
  CLIENT_ACCESS_UNAVAILABLE: 'CLIENT_ACCESS_UNAVAILABLE',
  DYNAMIC_REMOTE_REJECTED: 'DYNAMIC_REMOTE_REJECTED',
  INSUFFICIENT_ORDERED_QUANTITY: 'INSUFFICIENT_ORDERED_QUANTITY',
  CERTIFICATION_REQUIRED: 'CERTIFICATION_REQUIRED',
  HOST_ID_REQUIRED: 'HOST_ID_REQUIRED',
  INVALID_LICENSE_FILE: 'INVALID_LICENSE_FILE',
  LICENSE_FILE_EXPIRED: 'LICENSE_FILE_EXPIRED',
  QUERY_TOO_COMPLEX: 'QUERY_TOO_COMPLEX',
  /** A logon reached the standby member of a switchover pair: only the active member accepts logons. */
  SERVER_STANDBY: 'SERVER_STANDBY',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  /**
   * The request cannot be run as sent (no or an unknown operation name among several operations,
   * a subscription over HTTP): a client mistake about the request rather than about a value.
   */
  BAD_REQUEST: 'BAD_REQUEST',
  EVENT_IN_FUTURE: 'EVENT_IN_FUTURE',
  /** The activation file is live on another server (not this server's switchover partner). */
  LICENSE_FILE_IN_USE: 'LICENSE_FILE_IN_USE',
  /** A newer revision of the activation file exists: only the current one loads. */
  LICENSE_FILE_SUPERSEDED: 'LICENSE_FILE_SUPERSEDED',
  /** Usage tracking and virtual cloud need a subscription: a PERPETUAL file never holds them. */
  SUBSCRIPTION_REQUIRED: 'SUBSCRIPTION_REQUIRED',
  /** The product version is older than the first release that supports what the file asks for. */
  PRODUCT_VERSION_TOO_OLD: 'PRODUCT_VERSION_TOO_OLD',
  /**
   * The platform does not grant the server good standing (file not current, active and unexpired,
   * subscription inactive, or account on hold): carried by a refused check-in's answer.
   */
  NOT_IN_GOOD_STANDING: 'NOT_IN_GOOD_STANDING',
  /** Too many requests (or failed sign-ins) from this caller or address: retry after `Retry-After` seconds. */
  RATE_LIMITED: 'RATE_LIMITED',
  /**
   * The service's database could not take the change (disk full or read-only, or the database
   * not reachable): nothing was written; retry once it is back.
   */
  STORAGE_UNAVAILABLE: 'STORAGE_UNAVAILABLE',
  /** An API key may carry only roles its creator holds (and never SERVER). */
  API_KEY_ROLES_TOO_WIDE: 'API_KEY_ROLES_TOO_WIDE',
  /** An Idempotency-Key was used before with another request (operation or variables): HTTP 422. */
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY_KEY_REUSED',
  /** The first request with this Idempotency-Key is still running: retry after `Retry-After` seconds (HTTP 409). */
  IDEMPOTENCY_KEY_IN_USE: 'IDEMPOTENCY_KEY_IN_USE',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const KNOWN_CODES = new Set<string>(Object.values(ErrorCode));
export function isStableCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && KNOWN_CODES.has(code);
}

/** A rule was broken: the message is for people, the code for programs. */
export class DomainError extends GraphQLError {
  constructor(
    readonly code: ErrorCode,
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super(message, { extensions: { code, ...details } });
    this.name = 'DomainError';
  }
}

export const badInput = (message: string, field?: string): DomainError =>
  new DomainError(ErrorCode.BAD_USER_INPUT, message, field ? { field } : {});
export const notFound = (entity: string, id: string): DomainError =>
  new DomainError(ErrorCode.NOT_FOUND, `${entity} ${id} was not found`, { entity, id });
export const forbidden = (message = 'You may not access this resource'): DomainError =>
  new DomainError(ErrorCode.FORBIDDEN, message);
export const unauthenticated = (message = 'A valid token is required'): DomainError =>
  new DomainError(ErrorCode.UNAUTHENTICATED, message);
