import { readFileSync } from 'node:fs';
import { Topics } from '@lic/shared';
import { join } from 'node:path';
import {
  type MatrixRole,
  describeEachDatabase,
  matrixKeys,
  runIsolationMatrix,
  runOwnTenantReads,
  enforcementMatrix,
} from '@lic/testing';
import { type EnforcementHarness, type TestServer, startEnforcement } from '../../test/harness.js';

/**
 * The tenant-isolation matrix of the enforcement subgraph: every root field, entity and
 * subscription of its printed schema, aimed at tenant B's virtual-cloud server, for every role of
 * tenant A (its machine included), a partner that sold nothing here, and no token.
 */
describeEachDatabase('enforcement tenant-isolation matrix', (database) => {
  let h: EnforcementHarness;
  let a: TestServer;
  let b: TestServer;
  const tokens: Partial<Record<MatrixRole, string>> = {};
  /** Tokens that name B's server beside a person's role: `serverId` counts for a machine only. */
  const extra: Record<string, string> = {};

  beforeAll(async () => {
    h = await startEnforcement({ database });
    a = await h.registerServer('acc-a');
    b = await h.registerServer('acc-b');
    await h.loadLicense(a);
    await h.loadLicense(b);
    h.clock.set('2020-06-20T00:00:00.000Z');
    await h.handle.scheduler.tick();
    await h.gql(
      'mutation($id: ID!) { recordCheckIn(serverId: $id, success: false, kind: PERIODIC) { stage } }',
      { id: b.serverId },
      await h.token(['SERVER'], { serverId: b.serverId }),
    );
    tokens.LICENSING_ADMIN = h.adminToken;
    tokens.PARTNER = await h.token(['PARTNER'], { accountId: 'acc-partner' });
    tokens.CUSTOMER_ADMIN = await h.token(['CUSTOMER_ADMIN'], { accountId: 'acc-a' });
    tokens.SUPERVISOR = await h.token(['SUPERVISOR'], { accountId: 'acc-a' });
    tokens.SERVER = await h.token(['SERVER'], { serverId: a.serverId });
    extra['CUSTOMER_ADMIN naming B’s server'] = await h.token(['CUSTOMER_ADMIN'], {
      accountId: 'acc-a',
      serverId: b.serverId,
    });
    extra['SERVER and SUPERVISOR mixed'] = await h.token(['SERVER', 'SUPERVISOR'], {
      accountId: 'acc-a',
      serverId: b.serverId,
    });
  });
  afterAll(() => h.close());

  it('covers every root field, entity and subscription, and leaks nothing of tenant B', async () => {
    const sdl = readFileSync(join(__dirname, '..', '..', 'schema.graphql'), 'utf8');
    const entries = enforcementMatrix(b);
    expect(Object.keys(entries).sort()).toEqual(matrixKeys(sdl));
    const problems = await runIsolationMatrix({
      url: h.handle.url,
      entries,
      tokens,
      extra,
      markers: [b.serverId],
    });
    expect(problems).toEqual([]);
    // B's standing is untouched: nobody of tenant A recorded a good check-in for it.
    const { enforcementCheckIns } = await h.gql<{ enforcementCheckIns: Array<{ success: boolean }> }>(
      'query($id: ID!) { enforcementCheckIns(serverId: $id, limit: 10) { success } }',
      { id: b.serverId },
    );
    expect(enforcementCheckIns).toEqual([{ success: false }]);
  });

  it('answers the own tenant’s administrator, supervisor and machine about their own server', async () => {
    const entries = enforcementMatrix(a);
    const people = await runOwnTenantReads({
      url: h.handle.url,
      entries,
      tokens: { CUSTOMER_ADMIN: tokens.CUSTOMER_ADMIN!, SUPERVISOR: tokens.SUPERVISOR! },
      markers: [a.serverId],
    });
    // A machine sees its own server, never an account: its account's holds are not its to read.
    const { 'Query.accountHolds': _accountRow, ...serverRows } = entries;
    const machine = await runOwnTenantReads({
      url: h.handle.url,
      entries: serverRows,
      tokens: { SERVER: tokens.SERVER! },
      markers: [a.serverId],
    });
    expect([...people, ...machine]).toEqual([]);
  });

  it('answers a partner about the servers of the account it sold to, until it no longer does', async () => {
    const entries = enforcementMatrix(b);
    const partner = await h.token(['PARTNER'], { accountId: 'acc-b-partner' });
    const announce = (customerAccountIds: string[], asOf: string) =>
      h.publish(
        Topics.PartnerCustomersChanged,
        { partnerAccountId: 'acc-b-partner', customerAccountIds, asOf },
        'accounts',
      );
    await announce([b.accountId], '2020-06-01T00:00:00.000Z');
    expect(
      await runOwnTenantReads({
        url: h.handle.url,
        entries,
        tokens: { 'PARTNER of B': partner },
        markers: [b.serverId],
      }),
    ).toEqual([]);
    // A customer it no longer sold to disappears: the partner is refused like any other.
    await announce([], '2020-06-02T00:00:00.000Z');
    expect(
      await runIsolationMatrix({
        url: h.handle.url,
        entries,
        tokens: { PARTNER: partner },
        markers: [b.serverId],
      }),
    ).toEqual([]);
  });
});
