import { signToken, TokenVerifier } from '@lic/shared';
import { testEnvironment } from '@lic/testing';
import { CachingVerifier } from './token-cache.js';

describe('verified-token cache', () => {
  const { config, cleanup } = testEnvironment();
  afterAll(cleanup);

  /** The real verifier, counting how often it is asked. */
  function counting() {
    const verifier = new TokenVerifier(config);
    const counter = { calls: 0 };
    return {
      counter,
      verifier: {
        fromAuthorization: (header: string | undefined | null) => {
          counter.calls += 1;
          return verifier.fromAuthorization(header);
        },
      },
    };
  }

  test('a verified token is not verified again on every request', async () => {
    const { counter, verifier } = counting();
    const cache = new CachingVerifier(verifier);
    const header = `Bearer ${await signToken(config, { sub: 'sue', roles: ['SUPERVISOR'], accountId: 'a1' })}`;
    for (let i = 0; i < 5; i += 1) expect((await cache.fromAuthorization(header))?.sub).toBe('sue');
    expect(counter.calls).toBe(1);
  });

  test('a thousand connections arriving at once with one token verify it once', async () => {
    const { counter, verifier } = counting();
    const cache = new CachingVerifier(verifier);
    const header = `Bearer ${await signToken(config, { sub: 'wall', roles: ['SUPERVISOR'], accountId: 'a1' })}`;
    const principals = await Promise.all(Array.from({ length: 1000 }, () => cache.fromAuthorization(header)));
    expect(principals.every((p) => p?.sub === 'wall')).toBe(true);
    expect(counter.calls).toBe(1);
    // A bad token checked concurrently fails for each caller, and is checked again afterwards.
    const bad = await Promise.allSettled([1, 2, 3].map(() => cache.fromAuthorization('Bearer x.y.z')));
    expect(bad.every((r) => r.status === 'rejected')).toBe(true);
    await expect(cache.fromAuthorization('Bearer x.y.z')).rejects.toThrow('Token is invalid');
    expect(counter.calls).toBe(3);
  });

  test('a cached token that has expired since is refused', async () => {
    const cache = new CachingVerifier(counting().verifier);
    const header = `Bearer ${await signToken(config, { sub: 'brief', roles: ['SUPERVISOR'] }, 1)}`;
    expect((await cache.fromAuthorization(header))?.sub).toBe('brief');
    await new Promise((r) => setTimeout(r, 1100));
    await expect(cache.fromAuthorization(header)).rejects.toThrow('Token has expired');
  });

  test('failures are never cached: a bad token fails every time', async () => {
    const { counter, verifier } = counting();
    const cache = new CachingVerifier(verifier);
    await expect(cache.fromAuthorization('Bearer not.a.token')).rejects.toThrow('Token is invalid');
    await expect(cache.fromAuthorization('Bearer not.a.token')).rejects.toThrow('Token is invalid');
    expect(counter.calls).toBe(2);
  });
});
