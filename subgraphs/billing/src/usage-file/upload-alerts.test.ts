import { Topics } from '@lic/shared';
import { describeEachDatabase } from '@lic/testing';
import {
  type BillingHarness,
  EventFactory,
  LICENSES,
  LOCAL_LICENSE,
  UPLOAD_LICENSE,
  billingHarness,
  newServer,
} from '../../test/harness.js';
import { billingPeriodAt } from '../rules/billing-period.js';
import { overdueServers, periodsPastDeadline } from './upload-overdue.js';

const UPLOAD = `mutation($s: ID!, $n: String!, $c: String!) {
  uploadUsageFile(serverId: $s, fileName: $n, content: $c) { duplicate }
}`;
const FILES = `query($s: ID!) {
  usageFiles(serverId: $s, from: "2020-05-01T00:00:00.000Z", to: "2020-05-28T00:00:00.000Z") { fileName content }
}`;

describe('which periods and servers are overdue (pure)', () => {
  it('looks at periods whose deadline day has ended, within the lookback', () => {
    // The April 28 – May 27 period is due June 4: late from June 5, 00:00 UTC.
    expect(
      periodsPastDeadline(Date.parse('2020-06-04T23:59:59.999Z')).map((p) => p.start.toISOString()),
    ).toEqual(['2020-02-28T00:00:00.000Z', '2020-03-28T00:00:00.000Z']);
    expect(
      periodsPastDeadline(Date.parse('2020-06-05T00:00:00.000Z')).map((p) => p.start.toISOString()),
    ).toEqual(['2020-02-28T00:00:00.000Z', '2020-03-28T00:00:00.000Z', '2020-04-28T00:00:00.000Z']);
    // More than the lookback (62 days) after its deadline, a period is no longer looked at.
    expect(
      periodsPastDeadline(Date.parse('2020-08-06T00:00:00.000Z')).map((p) => p.start.toISOString()),
    ).toEqual(['2020-05-28T00:00:00.000Z', '2020-06-28T00:00:00.000Z']);
  });

  it('a server is MISSING while a file is not uploaded after the deadline, LATE when all came but some after it', () => {
    const period = billingPeriodAt(new Date('2020-05-01T00:00:00.000Z'));
    const cutoff = Date.parse('2020-06-05T00:00:00.000Z');
    const file = (serverId: string, uploadedAt: number | null) => ({ serverId, accountId: 'a1', uploadedAt });
    const files = [
      file('on-time', cutoff - 1),
      file('late', cutoff - 1),
      file('late', cutoff + 5),
      file('missing', cutoff + 5),
      file('missing', null),
    ];
    // Before the deadline has passed, a file not yet uploaded is only pending.
    expect(overdueServers(period, [file('pending', null), file('on-time', cutoff - 1)], cutoff - 1)).toEqual(
      [],
    );
    expect(overdueServers(period, files, cutoff + 10).map((o) => [o.serverId, o.state])).toEqual([
      ['late', 'LATE'],
      ['missing', 'MISSING'],
    ]);
  });
});

describeEachDatabase('late or missing usage uploads are announced once per server and period', (database) => {
  let h: BillingHarness;
  beforeAll(async () => {
    h = await billingHarness({ database });
  });
  afterAll(() => h.close());

  const announced = async (serverId: string) =>
    (
      (await h.billing.database.dataSource.query(
        'SELECT payload FROM outbox_event WHERE topic = ? ORDER BY seq',
        [Topics.UsageUploadOverdue],
      )) as Array<{ payload: string }>
    )
      .map((r) => JSON.parse(r.payload) as Record<string, unknown>)
      .filter((p) => p['serverId'] === serverId);

  async function serverWithUsage(license: Record<string, number>) {
    const server = newServer();
    const f = new EventFactory();
    await h.publish([
      f.serverRegistered(server, 'CIC Primary'),
      f.licenseLoaded(server, license, '2020-05-01T00:00:00.000Z'),
      ...f.session(server, 'sam', '2020-05-04T08:00:00Z', '2020-05-04T17:00:00Z', LICENSES.sam),
      ...f.session(server, 'tina', '2020-05-05T09:00:00Z', '2020-05-05T11:00:00Z', LICENSES.tina),
    ]);
    return server;
  }

  it('a manual-upload server without its files is MISSING after the deadline; announced once; an automated one never', async () => {
    h.clock.set('2020-05-06T00:30:00.000Z');
    const manual = await serverWithUsage(LOCAL_LICENSE);
    const automated = await serverWithUsage(UPLOAD_LICENSE);
    const late = await serverWithUsage(LOCAL_LICENSE);
    await h.billing.scheduler.runOnce();

    // The last day usage is due: nothing yet.
    h.clock.set('2020-06-04T23:00:00.000Z');
    await h.billing.scheduler.runOnce();
    expect(await announced(manual.serverId)).toEqual([]);

    // One file of `late` comes in after the deadline, the other not at all yet.
    h.clock.set('2020-06-05T01:00:00.000Z');
    await h.billing.scheduler.runOnce();
    const missing = {
      accountId: manual.accountId,
      serverId: manual.serverId,
      state: 'MISSING',
      periodStart: '2020-04-28T00:00:00.000Z',
      periodEnd: '2020-05-28T00:00:00.000Z',
      uploadDeadline: '2020-06-04T00:00:00.000Z',
      files: 2,
      missingFiles: 2,
      lateFiles: 0,
      detectedAt: '2020-06-05T01:00:00.000Z',
    };
    expect(await announced(manual.serverId)).toEqual([missing]);
    expect(await announced(automated.serverId)).toEqual([]);

    // The missing files arrive late: the same episode, not announced again; nor on later passes.
    const { usageFiles } = await h.data<{ usageFiles: Array<{ fileName: string; content: string }> }>(FILES, {
      s: manual.serverId,
    });
    for (const file of usageFiles)
      await h.data(UPLOAD, { s: manual.serverId, n: file.fileName, c: file.content });
    h.clock.set('2020-06-05T02:00:00.000Z');
    await h.billing.scheduler.runOnce();
    await h.billing.scheduler.runOnce();
    expect(await announced(manual.serverId)).toEqual([missing]);
    expect(await announced(late.serverId)).toHaveLength(1);
  });

  it('files all uploaded but after the deadline make the server LATE', async () => {
    h.clock.set('2020-05-06T00:30:00.000Z');
    const server = await serverWithUsage(LOCAL_LICENSE);
    const { usageFiles } = await h.data<{ usageFiles: Array<{ fileName: string; content: string }> }>(FILES, {
      s: server.serverId,
    });
    // Uploaded on June 6, before any pass looked: the episode is LATE, not MISSING.
    h.clock.set('2020-06-06T00:00:00.000Z');
    for (const file of usageFiles)
      await h.data(UPLOAD, { s: server.serverId, n: file.fileName, c: file.content });
    await h.billing.scheduler.runOnce();
    expect(await announced(server.serverId)).toEqual([
      expect.objectContaining({ state: 'LATE', files: 2, lateFiles: 2, missingFiles: 0 }),
    ]);
  });
});
