import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { loadConfig } from '../config/config.js';
import { type DomainError } from '../errors/errors.js';
import { TokenVerifier, requireRole, signToken, type Principal } from './auth.js';

const shortEnv = { JWT_SECRET: 'a-test-secret-that-is-long-enough-123456' };
const config = loadConfig(shortEnv);

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'NO_ERROR';
  } catch (error) {
    return String((error as DomainError).extensions?.['code']);
  }
}

describe('TokenVerifier (HS256)', () => {
  const verifier = new TokenVerifier(config);

  it('accepts a token it signed and reads the claims of docs/api.md', async () => {
    const token = await signToken(config, {
      sub: 'u1',
      roles: ['SUPERVISOR'],
      accountId: 'acc-1',
      certified: true,
    });
    const principal = await verifier.fromAuthorization(`Bearer ${token}`);
    expect(principal).toMatchObject({
      sub: 'u1',
      roles: ['SUPERVISOR'],
      accountId: 'acc-1',
      certified: true,
    });
  });

  it('refuses expired, forged, malformed and role-less tokens with UNAUTHENTICATED', async () => {
    const expired = await signToken(config, { sub: 'u1', roles: ['SUPERVISOR'] }, -10);
    const other = loadConfig({ JWT_SECRET: 'another-secret-that-is-long-enough-9876' });
    const forged = await signToken(other, { sub: 'u1', roles: ['LICENSING_ADMIN'] });
    const noRoles = await new SignJWT({ roles: [] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u1')
      .setIssuer(config.jwt.issuer)
      .setAudience(config.jwt.audience)
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(config.jwt.secret));
    const serverWithoutId = await signToken(config, { sub: 'm1', roles: ['SERVER'] });
    for (const token of [expired, forged, noRoles, serverWithoutId, 'not.a.jwt']) {
      expect(await codeOf(verifier.verify(token))).toBe('UNAUTHENTICATED');
    }
    await expect(verifier.verify(expired)).rejects.toThrow('Token has expired');
    expect(await codeOf(verifier.fromAuthorization('Basic abc'))).toBe('UNAUTHENTICATED');
    expect(await verifier.fromAuthorization(undefined)).toBeUndefined();
  });
});

describe('TokenVerifier: lifetimes and machine claims (docs/api.md: exp required, serverId for SERVER only)', () => {
  const verifier = new TokenVerifier(config);
  const secret = new TextEncoder().encode(config.jwt.secret);
  const raw = (claims: Record<string, unknown>, exp: number | undefined) => {
    const jwt = new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u1')
      .setIssuer(config.jwt.issuer)
      .setAudience(config.jwt.audience)
      .setIssuedAt();
    return (exp === undefined ? jwt : jwt.setExpirationTime(exp)).sign(secret);
  };
  const now = () => Math.floor(Date.now() / 1000);

  // Issue 15, hole 5: "tokens without `exp`, or with a 100-year `exp`, are accepted".
  it('refuses a token without exp, and one whose exp lies beyond the configured maximum', async () => {
    const noExp = await raw({ roles: ['LICENSING_ADMIN'] }, undefined);
    await expect(verifier.verify(noExp)).rejects.toThrow('Token must carry an expiry (exp)');
    const century = await raw({ roles: ['LICENSING_ADMIN'] }, now() + 100 * 365 * 86_400);
    expect(await codeOf(verifier.verify(century))).toBe('UNAUTHENTICATED');
    const justOver = await raw({ roles: ['SUPERVISOR'] }, now() + config.jwt.maxLifetimeSeconds + 60);
    await expect(verifier.verify(justOver)).rejects.toThrow(/longer than the allowed 86400 seconds/);
    const within = await raw({ roles: ['SUPERVISOR'] }, now() + config.jwt.maxLifetimeSeconds - 60);
    expect(await codeOf(verifier.verify(within))).toBe('NO_ERROR');
  });

  it('bounds machine credentials by their own maximum (SERVER_CREDENTIAL_LIFETIME_SECONDS), shorter than a year', async () => {
    expect(config.jwt.serverMaxLifetimeSeconds).toBeLessThan(365 * 86_400);
    const machine = { roles: ['SERVER'], serverId: 'srv-1' };
    const yearLong = await raw(machine, now() + 365 * 86_400);
    expect(await codeOf(verifier.verify(yearLong))).toBe('UNAUTHENTICATED');
    const within = await raw(machine, now() + config.jwt.serverMaxLifetimeSeconds - 60);
    expect(await codeOf(verifier.verify(within))).toBe('NO_ERROR');
    const short = new TokenVerifier(loadConfig({ ...shortEnv, SERVER_CREDENTIAL_LIFETIME_SECONDS: '3600' }));
    expect(await codeOf(short.verify(await raw(machine, now() + 7200)))).toBe('UNAUTHENTICATED');
  });

  // Issue 15, hole 4: "The serverId claim is honoured for every role and for mixed-role tokens".
  it('refuses a token that mixes SERVER with any other role', async () => {
    for (const other of ['LICENSING_ADMIN', 'CUSTOMER_ADMIN', 'SUPERVISOR', 'PARTNER']) {
      const mixed = await raw({ roles: ['SERVER', other], serverId: 'srv-1', accountId: 'a' }, now() + 600);
      await expect(verifier.verify(mixed)).rejects.toThrow('A SERVER token carries no other role');
    }
  });

  it("ignores the serverId claim of a person's token", async () => {
    const token = await raw({ roles: ['SUPERVISOR'], accountId: 'acc-1', serverId: 'srv-9' }, now() + 600);
    const principal = await verifier.verify(token);
    expect(principal.serverId).toBeUndefined();
    const machine = await raw({ roles: ['SERVER'], serverId: 'srv-9' }, now() + 600);
    expect((await verifier.verify(machine)).serverId).toBe('srv-9');
  });
});

describe('TokenVerifier (RS256 from a JWKS)', () => {
  let server: Server;
  let url: string;
  let privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    server = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('verifies production tokens against the published keys', async () => {
    const prod = loadConfig({ JWT_JWKS_URL: url });
    const token = await new SignJWT({ roles: ['CUSTOMER_ADMIN'], accountId: 'acc-9' })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setSubject('admin-9')
      .setIssuer(prod.jwt.issuer)
      .setAudience(prod.jwt.audience)
      .setExpirationTime('1h')
      .sign(privateKey);
    const principal = await new TokenVerifier(prod).verify(token);
    expect(principal).toMatchObject({ sub: 'admin-9', roles: ['CUSTOMER_ADMIN'], accountId: 'acc-9' });
    const hs = await signToken(config, { sub: 'x', roles: ['LICENSING_ADMIN'] });
    expect(await codeOf(new TokenVerifier(prod).verify(hs))).toBe('UNAUTHENTICATED');
  });
});

describe('roles', () => {
  it('failures carry FORBIDDEN or UNAUTHENTICATED', () => {
    const principal: Principal = {
      sub: 'x',
      roles: ['SUPERVISOR'],
      accountId: undefined,
      serverId: undefined,
      certified: false,
      expiresAt: undefined,
    };
    expect(() => requireRole(principal, 'LICENSING_ADMIN')).toThrow(/LICENSING_ADMIN/);
    expect(() => requireRole(undefined, 'LICENSING_ADMIN')).toThrow(/token/);
  });
});
