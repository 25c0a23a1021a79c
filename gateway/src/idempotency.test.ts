import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { TEST_REDIS_URL } from '@lic/testing';
import {
  Idempotency,
  MemoryIdempotencyStore,
  RedisIdempotencyStore,
  type StoredResponse,
  fingerprint,
  isFinal,
  isMutation,
  scopedKey,
  validKey,
} from './idempotency.js';

/** A client's key 'k' of one principal, as the gateway scopes it. */
const key = (k: string) =>
  scopedKey(
    {
      sub: 's',
      roles: ['CUSTOMER_ADMIN'],
      accountId: 'a',
      serverId: undefined,
      certified: false,
      expiresAt: undefined,
    },
    k,
  );

const answer = (body: unknown, status = 200): StoredResponse => ({
  status,
  contentType: 'application/json',
  body: JSON.stringify(body),
});

describe('Idempotency-Key rules (embedded store)', () => {
  let now = 0;
  const make = (waitMs = 2000) =>
    new Idempotency(new MemoryIdempotencyStore(() => now), {
      ttlMs: 60_000,
      waitMs,
      leaseMs: 30_000,
      pollMs: 5,
    });

  beforeEach(() => {
    now = Date.parse('2026-12-07T00:00:00Z');
  });

  it('ten identical requests at once: one runs, nine wait for and get its answer', async () => {
    const idempotency = make();
    let runs = 0;
    const results = await Promise.all(
      Array.from({ length: 10 }, async () => {
        const admission = await idempotency.admit(key('k'), 'print');
        if (admission.kind === 'run') {
          runs += 1;
          await new Promise((r) => setTimeout(r, 50));
          const response = answer({ data: { registerServer: { id: 's-1' } } });
          await admission.finish(response);
          return response;
        }
        if (admission.kind === 'replay') return admission.response;
        throw new Error(admission.kind);
      }),
    );
    expect(runs).toBe(1);
    expect(new Set(results.map((r) => r.body)).size).toBe(1);
  });

  it('refuses another request with the key, and frees the key after its time to live', async () => {
    const idempotency = make();
    const first = await idempotency.admit(key('k'), 'a');
    if (first.kind !== 'run') throw new Error(first.kind);
    expect((await idempotency.admit(key('k'), 'b')).kind).toBe('reused');
    await first.finish(answer({ data: { x: 1 } }));
    expect((await idempotency.admit(key('k'), 'b')).kind).toBe('reused');
    expect((await idempotency.admit(key('k'), 'a')).kind).toBe('replay');
    now += 60_001;
    expect((await idempotency.admit(key('k'), 'b')).kind).toBe('run');
  });

  it('keeps business refusals, forgets transient failures, and tells a retry to come back while the first runs', async () => {
    const idempotency = make(30);
    const refused = await idempotency.admit(key('r'), 'p');
    if (refused.kind !== 'run') throw new Error(refused.kind);
    expect((await idempotency.admit(key('r'), 'p')).kind).toBe('in-use');
    await refused.finish(answer({ errors: [{ message: 'exists', extensions: { code: 'BAD_USER_INPUT' } }] }));
    expect((await idempotency.admit(key('r'), 'p')).kind).toBe('replay');

    const failed = await idempotency.admit(key('t'), 'p');
    if (failed.kind !== 'run') throw new Error(failed.kind);
    await failed.finish(
      answer({ errors: [{ message: 'down', extensions: { code: 'SUBGRAPH_UNAVAILABLE' } }] }),
    );
    expect((await idempotency.admit(key('t'), 'p')).kind).toBe('run');
  });

  it('decides what is final, what is a mutation, what is the same request and whose key it is', () => {
    expect(isFinal(answer({ data: { a: 1 } }))).toBe(true);
    expect(isFinal(answer({ errors: [{ extensions: { code: 'LICENSE_EXHAUSTED' } }] }))).toBe(true);
    expect(isFinal(answer({ errors: [{ extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }))).toBe(false);
    expect(isFinal(answer({}, 502))).toBe(false);
    expect(isMutation('mutation { a }', undefined)).toBe(true);
    expect(isMutation('query { a }', undefined)).toBe(false);
    expect(isMutation('query Q { a } mutation M { b }', 'M')).toBe(true);
    expect(fingerprint('mutation { a }', undefined, { x: 1, y: 2 })).toBe(
      fingerprint('mutation { a }', undefined, { y: 2, x: 1 }),
    );
    expect(fingerprint('mutation { a }', undefined, { x: 1 })).not.toBe(
      fingerprint('mutation { a }', undefined, { x: 2 }),
    );
    const principal = {
      sub: 's',
      roles: [],
      accountId: 'a',
      serverId: undefined,
      certified: false,
      expiresAt: undefined,
    };
    expect(scopedKey({ ...principal, roles: ['CUSTOMER_ADMIN'] }, 'k').id).not.toBe(
      scopedKey({ ...principal, roles: ['CUSTOMER_ADMIN'], accountId: 'b' }, 'k').id,
    );
    expect(validKey('a'.repeat(255))).toBe(true);
    expect(validKey('a'.repeat(256))).toBe(false);
    expect(validKey('has space')).toBe(false);
  });
});

describe('Idempotency-Key answers at rest (Redis, as in distributed mode)', () => {
  const prefix = `lictest:idem:${randomUUID()}:`;
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis(TEST_REDIS_URL);
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('stores an answer that carries a secret only sealed: Redis holds neither the secret nor the client key, a retry gets the answer', async () => {
    const idempotency = new Idempotency(new RedisIdempotencyStore(redis.duplicate(), prefix), {
      ttlMs: 60_000,
      waitMs: 1000,
      leaseMs: 30_000,
    });
    const clientKey = 'create-api-key:acme:nightly';
    const created = answer({ data: { createApiKey: { secret: 'lic_ThisIsShownOnce0123456789' } } });
    const first = await idempotency.admit(key(clientKey), 'print');
    if (first.kind !== 'run') throw new Error(first.kind);
    await first.finish(created);

    const names = await redis.keys(`${prefix}*`);
    expect(names).toHaveLength(1);
    const stored = (await redis.get(names[0]!))!;
    expect(stored).not.toContain('lic_ThisIsShownOnce');
    expect(stored).not.toContain('createApiKey');
    expect(names[0]).not.toContain(clientKey);

    const retry = await idempotency.admit(key(clientKey), 'print');
    expect(retry).toEqual({ kind: 'replay', response: created });
    // Tampered with in the store: refused rather than replayed altered.
    const record = JSON.parse(stored) as { sealed: string };
    const bytes = Buffer.from(record.sealed, 'base64');
    bytes[bytes.length - 1] ^= 1;
    await redis.set(names[0]!, JSON.stringify({ ...record, sealed: bytes.toString('base64') }));
    await expect(idempotency.admit(key(clientKey), 'print')).rejects.toThrow();
    await idempotency.close();
  });
});
