import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { loadConfig } from '../config/config.js';
import { type DomainError } from '../errors/errors.js';
import { TokenVerifier, requireRole, signToken, type Principal } from './auth.js';

const config = loadConfig({ JWT_SECRET: 'a-test-secret-that-is-long-enough-123456' });

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
