import { ErrorCode, DomainError, badInput, isStableCode, notFound } from './errors.js';
import { isStorageFailure, maskFormattedError } from './mask.js';

describe('stable error codes', () => {
  it('lists every code of docs/api.md', () => {
    expect(Object.keys(ErrorCode).sort()).toEqual(
      [
        'UNAUTHENTICATED',
        'FORBIDDEN',
        'BAD_USER_INPUT',
        'NOT_FOUND',
        'LICENSE_EXHAUSTED',
        'ALLOCATION_METHOD_CONFLICT',
        'STATION_ONLY_LICENSE',
        'CONCURRENT_NOT_ALLOWED_FOR_STATIONS',
        'MISSING_PREREQUISITE',
        'CLIENT_ACCESS_UNAVAILABLE',
        'DYNAMIC_REMOTE_REJECTED',
        'INSUFFICIENT_ORDERED_QUANTITY',
        'CERTIFICATION_REQUIRED',
        'HOST_ID_REQUIRED',
        'INVALID_LICENSE_FILE',
        'LICENSE_FILE_EXPIRED',
        'QUERY_TOO_COMPLEX',
        'INTERNAL_SERVER_ERROR',
        'BAD_REQUEST',
        'SERVER_STANDBY',
        'EVENT_IN_FUTURE',
        'LICENSE_FILE_IN_USE',
        'LICENSE_FILE_SUPERSEDED',
        'SUBSCRIPTION_REQUIRED',
        'PRODUCT_VERSION_TOO_OLD',
        'NOT_IN_GOOD_STANDING',
        'RATE_LIMITED',
        'STORAGE_UNAVAILABLE',
        'API_KEY_ROLES_TOO_WIDE',
        'IDEMPOTENCY_KEY_REUSED',
        'IDEMPOTENCY_KEY_IN_USE',
      ].sort(),
    );
  });

  it('domain errors carry their code and details in extensions', () => {
    const error = badInput('name must not be empty', 'name');
    expect(error).toBeInstanceOf(DomainError);
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'name' });
    expect(notFound('Server', 's1').extensions['code']).toBe('NOT_FOUND');
    expect(isStableCode('NOT_FOUND')).toBe(true);
    expect(isStableCode('SOMETHING_ELSE')).toBe(false);
  });
});

describe('maskFormattedError', () => {
  it('keeps rule violations as they are', () => {
    const { error, masked } = maskFormattedError({
      message: 'No Tracker licence left',
      extensions: { code: 'LICENSE_EXHAUSTED', key: 'I3_ACCESS_TRACKER', stacktrace: ['at x'] },
    });
    expect(masked).toBe(false);
    expect(error).toEqual({
      message: 'No Tracker licence left',
      extensions: { code: 'LICENSE_EXHAUSTED', key: 'I3_ACCESS_TRACKER' },
    });
  });

  it('turns validation failures into BAD_USER_INPUT with the reason', () => {
    const { error } = maskFormattedError({
      message: 'Cannot query field "x"',
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'GRAPHQL_VALIDATION_FAILED' });
    expect(error.message).toBe('Cannot query field "x"');
  });

  it('hides anything else: no SQL, no stack, no message', () => {
    const { error, masked } = maskFormattedError({
      message: "ER_DUP_ENTRY: Duplicate entry 'x' for key 'PRIMARY' in INSERT INTO pool ...",
      path: ['logon'],
      extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['QueryFailedError at ...'] },
    });
    expect(masked).toBe(true);
    expect(error).toEqual({
      message: 'Internal server error',
      path: ['logon'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });
});

describe('storage failures (issue 16: the embedded mode on a full or read-only disk)', () => {
  const formatted = { message: 'SqliteError: database or disk is full', path: ['logon'] };

  it('a full or read-only SQLite disk, or MariaDB gone, reaches the client as STORAGE_UNAVAILABLE', () => {
    const sqliteFull = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    const wrapped = { message: 'QueryFailedError', driverError: sqliteFull };
    const graphql = { message: 'x', originalError: wrapped };
    for (const original of [
      graphql,
      {
        message: 'x',
        originalError: Object.assign(new Error('attempt to write a readonly database'), {
          code: 'SQLITE_READONLY',
        }),
      },
      {
        message: 'x',
        originalError: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3306'), {
          code: 'ECONNREFUSED',
        }),
      },
    ]) {
      expect(isStorageFailure(original)).toBe(true);
      const { error, masked } = maskFormattedError(formatted, original);
      expect(masked).toBe(true);
      expect(error.extensions).toEqual({ code: 'STORAGE_UNAVAILABLE' });
      expect(error.message).not.toContain('Sqlite');
      expect(error.path).toEqual(['logon']);
    }
  });

  it('any other failure stays INTERNAL_SERVER_ERROR, and a rule violation keeps its own code', () => {
    const bug = {
      message: 'x',
      originalError: new TypeError("Cannot read properties of undefined (reading 'id')"),
    };
    expect(isStorageFailure(bug)).toBe(false);
    expect(maskFormattedError(formatted, bug).error.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    const rule = { message: 'No licence left', extensions: { code: 'LICENSE_EXHAUSTED' } };
    expect(maskFormattedError(rule, { code: 'ECONNREFUSED' }).error.extensions).toEqual({
      code: 'LICENSE_EXHAUSTED',
    });
  });
});
