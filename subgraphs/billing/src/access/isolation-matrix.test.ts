import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Topics } from '@lic/shared';
import {
  type MatrixRole,
  describeEachDatabase,
  matrixKeys,
  runIsolationMatrix,
  runOwnTenantReads,
  billingMatrix,
} from '@lic/testing';
import {
  type BillingHarness,
  EventFactory,
  LICENSES,
  type ServerRef,
  UPLOAD_LICENSE,
  billingHarness,
  newServer,
} from '../../test/harness.js';

const MAY = { from: '2020-05-01T00:00:00.000Z', to: '2020-05-28T00:00:00.000Z' };

/**
 * The tenant-isolation matrix of the billing subgraph: every root field and entity of its printed
 * schema, aimed at tenant B's server and account, for every role of tenant A (its machine
 * included), a partner that sold nothing here, and no token.
 */
describeEachDatabase('billing tenant-isolation matrix', (database) => {
  let h: BillingHarness;
  let a: ServerRef;
  let b: ServerRef;
  let file: { id: string; fileName: string; content: string };
  const tokens: Partial<Record<MatrixRole, string>> = {};
  /** Tokens that name B's server beside a person's role: `serverId` counts for a machine only. */
  const extra: Record<string, string> = {};

  async function tenant(f: EventFactory, name: string): Promise<ServerRef> {
    const server = newServer();
    await h.publish([
      f.serverRegistered(server, name),
      f.licenseLoaded(server, UPLOAD_LICENSE, '2020-05-01T00:00:00.000Z'),
      ...f.session(server, 'sam', '2020-05-04T08:00:00Z', '2020-05-04T17:00:00Z', LICENSES.sam),
    ]);
    return server;
  }

  beforeAll(async () => {
    h = await billingHarness({ database });
    h.clock.set('2020-05-06T00:00:00.000Z');
    const f = new EventFactory();
    a = await tenant(f, 'a-server');
    b = await tenant(f, 'b-server');
    const { usageFiles } = await h.data<{
      usageFiles: Array<{ id: string; fileName: string; content: string }>;
    }>(
      'query($s: ID!, $from: DateTime, $to: DateTime) { usageFiles(serverId: $s, from: $from, to: $to) { id fileName content } }',
      { s: b.serverId, ...MAY },
    );
    file = usageFiles[0]!;
    tokens.LICENSING_ADMIN = h.admin;
    tokens.PARTNER = await h.token(['PARTNER'], { accountId: 'acc-partner' });
    tokens.CUSTOMER_ADMIN = await h.token(['CUSTOMER_ADMIN'], { accountId: a.accountId });
    tokens.SUPERVISOR = await h.token(['SUPERVISOR'], { accountId: a.accountId });
    tokens.SERVER = await h.token(['SERVER'], { serverId: a.serverId });
    extra['CUSTOMER_ADMIN naming B’s server'] = await h.token(['CUSTOMER_ADMIN'], {
      accountId: a.accountId,
      serverId: b.serverId,
    });
    extra['SERVER and SUPERVISOR mixed'] = await h.token(['SERVER', 'SUPERVISOR'], {
      accountId: a.accountId,
      serverId: b.serverId,
    });
  });
  afterAll(() => h.close());

  it('covers every root field and entity, and leaks nothing of tenant B', async () => {
    const sdl = readFileSync(join(__dirname, '..', '..', 'schema.graphql'), 'utf8');
    const entries = billingMatrix({ ...b, userId: 'sam', file });
    expect(Object.keys(entries).sort()).toEqual(matrixKeys(sdl));
    const problems = await runIsolationMatrix({
      url: h.billing.url,
      entries,
      tokens,
      extra,
      markers: [b.serverId, b.accountId, file.content.slice(0, 40)],
    });
    expect(problems).toEqual([]);
  });

  it('answers the own tenant’s administrator and supervisor with their own usage', async () => {
    const { usageFiles } = await h.data<{
      usageFiles: Array<{ id: string; fileName: string; content: string }>;
    }>(
      'query($s: ID!, $from: DateTime, $to: DateTime) { usageFiles(serverId: $s, from: $from, to: $to) { id fileName content } }',
      { s: a.serverId, ...MAY },
    );
    const problems = await runOwnTenantReads({
      url: h.billing.url,
      entries: billingMatrix({ ...a, userId: 'sam', file: usageFiles[0]! }),
      tokens: { CUSTOMER_ADMIN: tokens.CUSTOMER_ADMIN!, SUPERVISOR: tokens.SUPERVISOR! },
      markers: [a.serverId, a.accountId],
    });
    expect(problems).toEqual([]);
  });

  it('answers a partner about the usage of the account it sold to, until it no longer does', async () => {
    const entries = billingMatrix({ ...b, userId: 'sam', file });
    const partner = await h.token(['PARTNER'], { accountId: 'acc-b-partner' });
    const announce = (customerAccountIds: string[], asOf: string) =>
      h.publish([
        {
          id: randomUUID(),
          topic: Topics.PartnerCustomersChanged,
          source: 'accounts',
          occurredAt: asOf,
          payload: { partnerAccountId: 'acc-b-partner', customerAccountIds, asOf },
        },
      ]);
    await announce([b.accountId], '2020-05-05T00:00:00.000Z');
    expect(
      await runOwnTenantReads({
        url: h.billing.url,
        entries,
        tokens: { 'PARTNER of B': partner },
        markers: [b.serverId, b.accountId],
      }),
    ).toEqual([]);
    // A customer it no longer sold to disappears: the partner is refused like any other.
    await announce([], '2020-05-05T12:00:00.000Z');
    expect(
      await runIsolationMatrix({
        url: h.billing.url,
        entries,
        tokens: { PARTNER: partner },
        markers: [b.serverId, b.accountId, file.content.slice(0, 40)],
      }),
    ).toEqual([]);
  });
});
