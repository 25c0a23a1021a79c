import { openDatabase } from '../db/data-source.js';
import { type Database } from '../db/database.js';
import { describeEachDatabase, testEnvironment, type TestEnvironment } from '@lic/testing';
import {
  PARTNER_CUSTOMER_ENTITIES,
  PartnerCustomers1766600000000,
  applyPartnerCustomers,
  partnerCustomersOf,
} from './partner-customers.js';
import { type Principal } from '../auth/auth.js';
import { TenantScope } from './tenant-scope.js';

const who = (p: Partial<Principal> & Pick<Principal, 'sub' | 'roles'>): Principal => ({
  accountId: undefined,
  serverId: undefined,
  certified: false,
  expiresAt: undefined,
  ...p,
});

describeEachDatabase('a subgraph’s copy of whom each partner sold to', (database) => {
  let env: TestEnvironment;
  let db: Database;

  beforeAll(async () => {
    env = testEnvironment({ database });
    db = await openDatabase({
      config: env.config,
      name: 'partnertest',
      entities: PARTNER_CUSTOMER_ENTITIES,
      migrations: [PartnerCustomers1766600000000],
    });
  });
  afterAll(async () => {
    await db.close();
    await env.cleanup();
  });

  const announce = (partnerAccountId: string, customerAccountIds: string[], asOf: string) =>
    db.dataSource.transaction((m) =>
      applyPartnerCustomers(m, { partnerAccountId, customerAccountIds, asOf }),
    );
  const customers = (partner: string) => partnerCustomersOf(db.dataSource.manager, partner);

  it('replaces a partner’s customers with each announcement, and ignores an older one arriving late', async () => {
    expect(await customers('p1')).toEqual([]);
    expect(await announce('p1', ['c2', 'c1'], '2026-01-01T00:00:00Z')).toBe(true);
    await announce('p2', ['c3'], '2026-01-01T00:00:00Z');
    expect(await customers('p1')).toEqual(['c1', 'c2']);
    // A customer that is no longer sold to disappears; the other partner is untouched.
    expect(await announce('p1', ['c2'], '2026-01-02T00:00:00Z')).toBe(true);
    expect(await customers('p1')).toEqual(['c2']);
    expect(await customers('p2')).toEqual(['c3']);
    // Late and older: ignored.
    expect(await announce('p1', ['c1', 'c2', 'c9'], '2026-01-01T12:00:00Z')).toBe(false);
    expect(await customers('p1')).toEqual(['c2']);
    // The same announcement twice (a replay) changes nothing; the partner itself is never its customer.
    expect(await announce('p1', ['c2', 'c2', 'p1'], '2026-01-02T00:00:00Z')).toBe(true);
    expect(await customers('p1')).toEqual(['c2']);
  });

  it('feeds the tenant scope: a partner sees its customers, once looked up per request, and nobody else pays', async () => {
    await announce('p3', ['c7'], '2026-01-01T00:00:00Z');
    let lookups = 0;
    const lookup = (id: string) => {
      lookups += 1;
      return customers(id);
    };
    const partner = new TenantScope(who({ sub: 'p', roles: ['PARTNER'], accountId: 'p3' }), lookup);
    expect(await partner.canAccess('c7')).toBe(true);
    expect(await partner.canSeeServer({ id: 's7', accountId: 'c7' })).toBe(true);
    expect(await partner.canConfigure('c7')).toBe(true);
    expect(await partner.canAccess('c3')).toBe(false);
    expect(await partner.visibleAccountIds()).toEqual(['p3', 'c7']);
    expect(lookups).toBe(1);
    // Its own account needs no look-up; a supervisor and the licensing team never look.
    const fresh = new TenantScope(who({ sub: 'p', roles: ['PARTNER'], accountId: 'p3' }), lookup);
    expect(await fresh.canAccess('p3')).toBe(true);
    const supervisor = new TenantScope(who({ sub: 's', roles: ['SUPERVISOR'], accountId: 'p3' }), lookup);
    expect(await supervisor.canAccess('c7')).toBe(false);
    const admin = new TenantScope(who({ sub: 'a', roles: ['LICENSING_ADMIN'] }), lookup);
    expect(await admin.canAccess('c7')).toBe(true);
    expect(lookups).toBe(1);
    // A supervisor of a customer sees nothing of the partner's through the relation.
    const customer = new TenantScope(who({ sub: 'c', roles: ['CUSTOMER_ADMIN'], accountId: 'c7' }), lookup);
    expect(await customer.canAccess('p3')).toBe(false);
    await expect(customer.assertServerAccess({ id: 's3', accountId: 'p3' }, 'read')).rejects.toThrow(
      'another tenant',
    );
  });
});
