import { type DomainEvent, type PartnerCustomersChangedPayload, Topics } from '@lic/shared';
import { describeEachDatabase, eventually } from '@lic/testing';
import { type Harness, accountWithOrder, startAccounts } from '../../test/harness.js';

const LINE = [{ partNumber: 'SW-003-4.0-SV01', assignedQuantity: 1 }];

/**
 * Whom a partner sold to travels to the other subgraphs (they decide a partner's access to its
 * customers' servers): the whole set, on every sale by a partner, and for every partner at start.
 */
describeEachDatabase('accounts announces each partner’s customers', (database) => {
  let h: Harness;
  let seen: DomainEvent[];
  const payloads = () => seen.map((e) => e.payload as PartnerCustomersChangedPayload);

  beforeAll(async () => {
    h = await startAccounts(database);
    seen = await h.events(Topics.PartnerCustomersChanged);
  });
  afterAll(() => h.close());

  it('announces the partner’s whole set on each sale it makes, nothing on a direct sale', async () => {
    const partner = await accountWithOrder(h, { name: 'Partner P', garn: 'GARN-PP', kind: 'PARTNER' });
    const a = await accountWithOrder(h, {
      name: 'Customer A',
      garn: 'GARN-PA',
      lines: LINE,
      soldToAccountId: partner.accountId,
    });
    await eventually(() => seen.length === 1, 5000);
    // A direct sale names no partner: nothing announced before the next partner sale's.
    await accountWithOrder(h, { name: 'Customer C', garn: 'GARN-PC', lines: LINE });
    const b = await accountWithOrder(h, {
      name: 'Customer B',
      garn: 'GARN-PB',
      lines: LINE,
      soldToAccountId: partner.accountId,
    });
    await eventually(() => seen.length === 2, 5000);
    expect(payloads().map((p) => [p.partnerAccountId, p.customerAccountIds])).toEqual([
      [partner.accountId, [a.accountId]],
      [partner.accountId, [a.accountId, b.accountId].sort()],
    ]);
    expect(Date.parse(payloads()[1]!.asOf)).not.toBeNaN();

    // At start (here: asked directly), every partner's set again, so an empty copy converges.
    seen.length = 0;
    expect(await h.server.services.orders.announcePartnerCustomers()).toBe(1);
    await eventually(() => seen.length === 1, 5000);
    expect(payloads()[0]).toMatchObject({
      partnerAccountId: partner.accountId,
      customerAccountIds: [a.accountId, b.accountId].sort(),
    });
  });
});
