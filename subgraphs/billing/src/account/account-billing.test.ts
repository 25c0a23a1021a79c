import { randomUUID } from 'node:crypto';
import { Topics } from '@lic/shared';
import { describeEachDatabase } from '@lic/testing';
import {
  type BillingHarness,
  EventFactory,
  LICENSES,
  UPLOAD_LICENSE,
  billingHarness,
  newServer,
} from '../../test/harness.js';

const ACCOUNTS = `query($r: [_Any!]!) {
  _entities(representations: $r) {
    ... on Account { id billingBasis currentBillingPeriod { start } usageUploadStatus { state files flagged } }
  }
}`;

describeEachDatabase('Account billing fields', (database) => {
  let h: BillingHarness;
  beforeAll(async () => {
    h = await billingHarness({ database });
    h.clock.set('2020-06-10T00:00:00.000Z');
  });
  afterAll(async () => {
    await h.close();
  });

  async function accountsWithUsage(n: number): Promise<string[]> {
    const f = new EventFactory();
    const servers = Array.from({ length: n }, () => newServer());
    await h.publish(
      servers.flatMap((s) => [
        f.licenseLoaded(s, UPLOAD_LICENSE, '2020-05-01T00:00:00.000Z'),
        ...f.session(s, 'sam', '2020-05-04T08:00:00Z', '2020-05-04T09:00:00Z', LICENSES.sam),
      ]),
    );
    return servers.map((s) => s.accountId);
  }

  /** Statements one request sends (the least of a few tries: background passes may add some). */
  async function statementsFor(accountIds: string[]): Promise<number> {
    const counts: number[] = [];
    const statements = h.billing.database.dataSource.logger as unknown as { count: number };
    const representations = accountIds.map((id) => ({ __typename: 'Account', id }));
    for (let i = 0; i < 3; i++) {
      const before = statements.count;
      const result = await h.data<{ _entities: Array<{ usageUploadStatus: { files: number } }> }>(ACCOUNTS, {
        r: representations,
      });
      counts.push(statements.count - before);
      expect(result._entities.map((a) => a.usageUploadStatus.files)).toEqual(accountIds.map(() => 1));
    }
    return Math.min(...counts);
  }

  it('resolves the billing fields of many accounts with as many statements as of a few', async () => {
    const few = await accountsWithUsage(2);
    const many = await accountsWithUsage(15);
    await h.billing.services.deriver.catchUp();
    expect(await statementsFor(many)).toBe(await statementsFor(few));
  });

  it('shows each account only to its own people', async () => {
    const [accountId] = await accountsWithUsage(1);
    const other = await h.token(['CUSTOMER_ADMIN'], { accountId: 'someone-else' });
    const result = await h.query(ACCOUNTS, { r: [{ __typename: 'Account', id: accountId }] }, other);
    expect(result.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    const own = await h.token(['SUPERVISOR'], { accountId });
    expect(
      (await h.query(ACCOUNTS, { r: [{ __typename: 'Account', id: accountId }] }, own)).errors,
    ).toBeUndefined();
  });
});

/**
 * Issue 15, hole 8: "setBillingBasis on an account that does not exist ... [is] stored". Billing
 * knows an account from the accounts subgraph's account-created event (or, for accounts older than
 * that, from a registered server); any other id is NOT_FOUND and nothing is stored.
 */
describeEachDatabase('setBillingBasis names an account that exists', (database) => {
  let h: BillingHarness;
  const SET = 'mutation($a: ID!) { setBillingBasis(accountId: $a, basis: CONCURRENT) { id billingBasis } }';
  const BASIS = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Account { billingBasis } } }';
  beforeAll(async () => {
    h = await billingHarness({ database });
  });
  afterAll(async () => {
    await h.close();
  });

  it('refuses an account nobody created, storing nothing', async () => {
    const ghost = randomUUID();
    const result = await h.query(SET, { a: ghost });
    expect(result.errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND');
    const rows = await h.billing.database.dataSource.query(
      'SELECT COUNT(*) AS n FROM billing_account WHERE account_id = ?',
      [ghost],
    );
    expect(Number((rows as Array<{ n: number }>)[0]!.n)).toBe(0);
    expect(await h.data(BASIS, { r: [{ __typename: 'Account', id: ghost }] })).toEqual({
      _entities: [{ billingBasis: 'NAMED' }],
    });
  });

  it('sets the basis of an account the accounts subgraph announced', async () => {
    const accountId = randomUUID();
    await h.publish([
      {
        id: randomUUID(),
        topic: Topics.AccountCreated,
        source: 'accounts',
        occurredAt: '2020-06-01T00:00:00.000Z',
        payload: { accountId, name: 'Announced', kind: 'CUSTOMER' },
      },
    ]);
    expect(await h.data(SET, { a: accountId })).toEqual({
      setBillingBasis: { id: accountId, billingBasis: 'CONCURRENT' },
    });
  });

  it('sets the basis of an older account known by its registered server', async () => {
    const server = newServer();
    await h.publish([new EventFactory().licenseLoaded(server, UPLOAD_LICENSE, '2020-05-01T00:00:00.000Z')]);
    expect(await h.data(SET, { a: server.accountId })).toEqual({
      setBillingBasis: { id: server.accountId, billingBasis: 'CONCURRENT' },
    });
  });
});
