import { type Principal } from '../auth/auth.js';
import { acceptedRequestId, requestFactsFrom } from './request-facts.js';
import { accountOf, redactChange, targetIdsOf } from './audit.js';

const caller: Principal = {
  sub: 'ada',
  roles: ['CUSTOMER_ADMIN'],
  accountId: 'acct-own',
  serverId: undefined,
  certified: false,
  expiresAt: undefined,
};

/** What an audit entry keeps of a mutation: the change without secrets, its targets, its account. */
describe('audit entry contents', () => {
  it('redacts secrets at any depth and shortens long text', () => {
    const change = redactChange({
      input: {
        name: 'nightly sync',
        secret: 'whsec_abc',
        signingSecret: 'abc',
        apiKey: 'lic_live_123',
        password: 'hunter2',
        nested: [{ token: 't' }],
        content: 'x'.repeat(2000),
      },
    });
    expect(change).toEqual({
      input: {
        name: 'nightly sync',
        secret: '[redacted]',
        signingSecret: '[redacted]',
        apiKey: '[redacted]',
        password: '[redacted]',
        nested: [{ token: '[redacted]' }],
        content: '[2000 characters]',
      },
    });
    expect(JSON.stringify(change)).not.toMatch(/whsec_abc|lic_live_123|hunter2/);
  });

  it('names the ids of the arguments and the result as targets', () => {
    expect(
      targetIdsOf(
        { id: 'f1', input: { installSiteId: 's1', userIds: ['u1', 'u2'], name: 'x' } },
        { id: 'new-1' },
      ),
    ).toEqual(['new-1', 'f1', 's1', 'u1', 'u2']);
  });

  it('files a change under the account it concerns, a refusal under the caller’s', () => {
    expect(accountOf({ input: { accountId: 'acct-b' } }, undefined, caller)).toBe('acct-b');
    expect(accountOf({ input: { endUserAccountId: 'acct-c' } }, { id: 'o1' }, caller)).toBe('acct-c');
    expect(accountOf({ id: 'x' }, { id: 'acct-new' }, undefined, 'Account')).toBe('acct-new');
    expect(accountOf({ id: 'srv' }, { id: 'srv', accountId: 'acct-d' }, undefined)).toBe('acct-d');
    expect(accountOf({ id: 'srv' }, undefined, caller)).toBe('acct-own');
    expect(accountOf({ accountId: 'acct-b' }, undefined, caller, undefined, true)).toBe('acct-own');
    expect(accountOf({ accountId: 'acct-b' }, undefined, undefined, undefined, true)).toBe('acct-b');
  });

  it('keeps a client request id only when well formed', () => {
    expect(acceptedRequestId('req-1:a.b_c')).toBe('req-1:a.b_c');
    expect(acceptedRequestId('has space')).toBeUndefined();
    expect(acceptedRequestId('x'.repeat(129))).toBeUndefined();
    expect(acceptedRequestId(['a', 'b'])).toBeUndefined();
    expect(requestFactsFrom({ 'x-request-id': 'r1', 'x-client-address': '203.0.113.7' })).toEqual({
      requestId: 'r1',
      clientAddress: '203.0.113.7',
    });
  });
});
