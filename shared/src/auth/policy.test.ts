import { type DomainError } from '../errors/errors.js';
import { type Principal } from './auth.js';
import {
  assertCanSeeAccount,
  assertServerAccess,
  canConfigureAccount,
  canConfigureServer,
  canOperateServer,
  canSeeAccount,
  canSeeServer,
  isMachineFor,
  serverRefusal,
  visibleAccountIds,
} from './policy.js';

const principal = (p: Partial<Principal>): Principal => ({
  sub: 'x',
  roles: ['SUPERVISOR'],
  accountId: undefined,
  serverId: undefined,
  certified: false,
  expiresAt: undefined,
  ...p,
});

const ADMIN = principal({ roles: ['LICENSING_ADMIN'] });
const PARTNER = principal({ roles: ['PARTNER'], accountId: 'p-1' });
const CUSTOMER_ADMIN = principal({ roles: ['CUSTOMER_ADMIN'], accountId: 'acc-1' });
const SUPERVISOR = principal({ roles: ['SUPERVISOR'], accountId: 'acc-1' });
const MACHINE = principal({ roles: ['SERVER'], serverId: 'srv-1' });
/** A SERVER claim mixed with a person's role: its serverId opens nothing (docs/api.md). */
const MIXED = principal({ roles: ['SERVER', 'SUPERVISOR'], accountId: 'acc-2', serverId: 'srv-1' });
/** A machine that also names an account: the account claim counts only for people. */
const MACHINE_WITH_ACCOUNT = principal({ roles: ['SERVER'], serverId: 'srv-9', accountId: 'acc-1' });

const OWN_SERVER = { id: 'srv-1', accountId: 'acc-1' };
const FOREIGN_SERVER = { id: 'srv-2', accountId: 'acc-2' };

describe('the tenant-access policy', () => {
  it.each([
    ['LICENSING_ADMIN', ADMIN, 'acc-2', true],
    ['SUPERVISOR, own', SUPERVISOR, 'acc-1', true],
    ['SUPERVISOR, foreign', SUPERVISOR, 'acc-2', false],
    ['CUSTOMER_ADMIN, foreign', CUSTOMER_ADMIN, 'acc-2', false],
    ['PARTNER, own', PARTNER, 'p-1', true],
    ['PARTNER, not sold to', PARTNER, 'acc-2', false],
    ['SERVER', MACHINE, 'acc-1', false],
    ['SERVER naming an account', MACHINE_WITH_ACCOUNT, 'acc-1', false],
  ] as Array<[string, Principal, string, boolean]>)(
    '%s may see account %s: %s',
    (_who, p, account, expected) => {
      expect(canSeeAccount(p, account)).toBe(expected);
    },
  );

  it('a partner sees (and configures) the accounts it sold to, nobody else gains from that list', () => {
    expect(canSeeAccount(PARTNER, 'acc-2', ['acc-2'])).toBe(true);
    expect(canConfigureAccount(PARTNER, 'acc-2', ['acc-2'])).toBe(true);
    expect(canSeeAccount(CUSTOMER_ADMIN, 'acc-2', ['acc-2'])).toBe(false);
    expect(visibleAccountIds(PARTNER, ['acc-2'])).toEqual(['p-1', 'acc-2']);
    expect(visibleAccountIds(CUSTOMER_ADMIN, ['acc-2'])).toEqual(['acc-1']);
    expect(visibleAccountIds(MACHINE_WITH_ACCOUNT)).toEqual([]);
    expect(visibleAccountIds(ADMIN)).toBe('all');
  });

  it('only administrators and partners of the account configure it; supervisors only look', () => {
    expect(canConfigureAccount(CUSTOMER_ADMIN, 'acc-1')).toBe(true);
    expect(canConfigureAccount(SUPERVISOR, 'acc-1')).toBe(false);
    expect(canConfigureAccount(ADMIN, 'acc-9')).toBe(true);
  });

  it.each([
    ['LICENSING_ADMIN', ADMIN, [true, true, true], [true, true, true]],
    ['CUSTOMER_ADMIN', CUSTOMER_ADMIN, [true, true, false], [false, false, false]],
    ['SUPERVISOR', SUPERVISOR, [true, false, false], [false, false, false]],
    ['PARTNER (not sold to)', PARTNER, [false, false, false], [false, false, false]],
    ['SERVER (its own machine)', MACHINE, [true, true, true], [false, false, false]],
    ['SERVER mixed with SUPERVISOR', MIXED, [false, false, false], [true, false, false]],
  ] as Array<[string, Principal, boolean[], boolean[]]>)(
    '%s: [see, configure, operate] own server, then foreign server',
    (_who, p, own, foreign) => {
      const ask = (s: typeof OWN_SERVER) => [
        canSeeServer(p, s),
        canConfigureServer(p, s),
        canOperateServer(p, s),
      ];
      expect(ask(OWN_SERVER)).toEqual(own);
      expect(ask(FOREIGN_SERVER)).toEqual(foreign);
    },
  );

  it('serverId counts only for a token whose one role is SERVER', () => {
    expect(isMachineFor(MACHINE, 'srv-1')).toBe(true);
    expect(isMachineFor(MIXED, 'srv-1')).toBe(false);
    expect(isMachineFor(principal({ roles: ['CUSTOMER_ADMIN'], serverId: 'srv-1' }), 'srv-1')).toBe(false);
  });

  it('names the reason of a refusal, and failures carry FORBIDDEN or UNAUTHENTICATED', () => {
    expect(serverRefusal(MACHINE, FOREIGN_SERVER, 'read')).toBe(
      'This machine credential is for another server',
    );
    expect(serverRefusal(SUPERVISOR, FOREIGN_SERVER, 'read')).toBe('This server belongs to another tenant');
    expect(serverRefusal(SUPERVISOR, OWN_SERVER, 'configure')).toMatch(/CUSTOMER_ADMIN or PARTNER/);
    expect(serverRefusal(CUSTOMER_ADMIN, OWN_SERVER, 'machine')).toMatch(/machine credential/);
    expect(serverRefusal(CUSTOMER_ADMIN, OWN_SERVER, 'configure')).toBeUndefined();
    const codeOf = (f: () => unknown) => {
      try {
        f();
        return 'NO_ERROR';
      } catch (error) {
        return String((error as DomainError).extensions['code']);
      }
    };
    expect(codeOf(() => assertServerAccess(undefined, OWN_SERVER, 'read'))).toBe('UNAUTHENTICATED');
    expect(codeOf(() => assertServerAccess(SUPERVISOR, FOREIGN_SERVER, 'read'))).toBe('FORBIDDEN');
    expect(codeOf(() => assertCanSeeAccount(undefined, 'acc-1'))).toBe('UNAUTHENTICATED');
    expect(codeOf(() => assertCanSeeAccount(SUPERVISOR, 'acc-2'))).toBe('FORBIDDEN');
    expect(codeOf(() => assertCanSeeAccount(SUPERVISOR, 'acc-1'))).toBe('NO_ERROR');
  });
});
