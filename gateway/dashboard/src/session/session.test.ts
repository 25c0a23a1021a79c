import { formatRoute, parseRoute } from '../routing.js';
import { landingView, seesManyAccounts, signInProblem, viewsFor } from './access.js';
import { decodeToken, isExpired, TokenFormatError } from './token.js';

const encode = (value: object) =>
  btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const jwt = (claims: object) => `${encode({ alg: 'HS256' })}.${encode(claims)}.c2lnbmF0dXJl`;

describe('signing in', () => {
  it('reads roles, account and expiry from a token (the gateway verifies it)', () => {
    const session = decodeToken(
      `Bearer ${jwt({ sub: 'sam', roles: ['SUPERVISOR', 'NOT_A_ROLE'], accountId: 'acc-1', exp: 2_000_000_000 })}`,
    );
    expect(session).toMatchObject({
      sub: 'sam',
      roles: ['SUPERVISOR'],
      accountId: 'acc-1',
      serverId: undefined,
    });
    expect(isExpired(session, new Date('2030-01-01T00:00:00Z'))).toBe(false);
    expect(isExpired(session, new Date('2034-01-01T00:00:00Z'))).toBe(true);
  });

  it('refuses what is not a token of this platform, with a reason', () => {
    expect(() => decodeToken('hello')).toThrow(TokenFormatError);
    expect(() => decodeToken(jwt({ sub: 'x', roles: ['ROOT'] }))).toThrow(/no role/);
    expect(() => decodeToken('a.!!!.c')).toThrow(/three dot-separated parts/);
  });

  it('offers each role only the views it can use', () => {
    expect(viewsFor(['SUPERVISOR'])).toEqual(['statistics', 'enforcement']);
    expect(viewsFor(['CUSTOMER_ADMIN'])).toEqual([
      'fleet',
      'statistics',
      'enforcement',
      'usage',
      'accounts',
      'audit',
    ]);
    expect(viewsFor(['PARTNER'])).toContain('audit');
    expect(viewsFor(['SERVER'])).toEqual([]);
    expect(seesManyAccounts(['PARTNER'])).toBe(true);
    expect(seesManyAccounts(['SUPERVISOR'])).toBe(false);
  });

  it('lands administrators and partners on the fleet, everyone else on their live statistics', () => {
    expect(landingView(['LICENSING_ADMIN'])).toBe('fleet');
    expect(landingView(['PARTNER'])).toBe('fleet');
    expect(landingView(['CUSTOMER_ADMIN'])).toBe('statistics');
    expect(landingView(['SUPERVISOR'])).toBe('statistics');
  });

  it('explains why a valid token cannot use the dashboard', () => {
    expect(signInProblem(decodeToken(jwt({ sub: 's', roles: ['SERVER'], serverId: 'x' })))).toMatch(
      /server credential/,
    );
    expect(signInProblem(decodeToken(jwt({ sub: 's', roles: ['SUPERVISOR'] })))).toMatch(/names no account/);
    expect(signInProblem(decodeToken(jwt({ sub: 'a', roles: ['LICENSING_ADMIN'] })))).toBeUndefined();
  });

  it('keeps the view and its parameters in the URL hash', () => {
    const route = { view: 'statistics' as const, params: { server: 'abc' } };
    expect(formatRoute(route)).toBe('#/statistics?server=abc');
    expect(parseRoute('#/statistics?server=abc', 'enforcement')).toEqual(route);
    expect(parseRoute('#/nowhere', 'enforcement')).toEqual({ view: 'enforcement', params: {} });
  });
});
