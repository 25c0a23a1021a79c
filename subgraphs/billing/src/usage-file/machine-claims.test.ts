import { describeEachDatabase } from '@lic/testing';
import {
  type BillingHarness,
  EventFactory,
  UPLOAD_LICENSE,
  billingHarness,
  newServer,
} from '../../test/harness.js';

const FILES = `query($s: ID!) { usageFiles(serverId: $s) { id fileName } }`;

/**
 * Issue 15, hole 4: "The serverId claim is honoured for every role and for mixed-role tokens,
 * opening another tenant's server, usage files and machine operations." serverId counts for the
 * SERVER role only; a token mixing SERVER with another role is refused.
 */
describeEachDatabase('usage files: serverId for the SERVER role only', (database) => {
  let h: BillingHarness;
  beforeAll(async () => {
    h = await billingHarness({ database });
    h.clock.set('2020-05-06T00:00:00.000Z');
  });
  afterAll(async () => {
    await h.close();
  });

  it("a customer administrator naming another tenant's server in serverId sees none of its usage files", async () => {
    const mine = newServer();
    const foreign = newServer();
    const f = new EventFactory();
    await h.publish([
      f.serverRegistered(foreign, 'CIC Foreign'),
      f.licenseLoaded(foreign, UPLOAD_LICENSE, '2020-05-01T00:00:00.000Z'),
      f.serverStarted(foreign, '2020-05-05T12:00:00Z'),
    ]);
    const admin = await h.token(['CUSTOMER_ADMIN'], {
      accountId: mine.accountId,
      serverId: foreign.serverId,
    });
    const leak = await h.query<{ usageFiles: unknown[] }>(FILES, { s: foreign.serverId }, admin);
    expect(leak.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');

    const mixed = await h.token(['CUSTOMER_ADMIN', 'SERVER'], {
      accountId: mine.accountId,
      serverId: foreign.serverId,
    });
    const refused = await h.query<{ usageFiles: unknown[] }>(FILES, { s: foreign.serverId }, mixed);
    expect(refused.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');

    // The server's own machine credential still reads its files.
    const machine = await h.token(['SERVER'], { serverId: foreign.serverId });
    expect(
      (await h.data<{ usageFiles: unknown[] }>(FILES, { s: foreign.serverId }, machine)).usageFiles.length,
    ).toBeGreaterThan(0);
  });
});
