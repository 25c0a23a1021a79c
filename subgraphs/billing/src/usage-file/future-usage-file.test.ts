import { describeEachDatabase } from '@lic/testing';
import {
  type BillingHarness,
  EventFactory,
  LOCAL_LICENSE,
  SESSIONS_QUERY,
  type SessionsResult,
  billingHarness,
  newServer,
} from '../../test/harness.js';
import { encryptUsageFile } from './usage-file-crypto.js';
import { type UsageRecord, encodeRecords } from './usage-records.js';
import { resolveUsageFileKey } from './usage-file-key.js';

const UPLOAD = `mutation($s: ID!, $n: String!, $c: String!) {
  uploadUsageFile(serverId: $s, fileName: $n, content: $c) { records ingestedRecords }
}`;
const NOW = '2020-05-06T12:00:00.000Z';

/**
 * A usage file is a server's logons and logoffs: like each of them reported one by one, a record
 * whose occurredAt lies more than the configured tolerance (default 5 minutes) ahead of the
 * platform's clock is refused (EVENT_IN_FUTURE), and nothing of the file is ingested.
 */
describeEachDatabase('usage files from the future', (database) => {
  let h: BillingHarness;
  beforeAll(async () => {
    h = await billingHarness({ database });
    h.clock.set(NOW);
  });
  afterAll(async () => {
    await h.close();
  });

  const record = (type: UsageRecord['type'], occurredAt: string, eventId: string): UsageRecord => ({
    type,
    userId: 'tina',
    licenses: ['I3_ACCESS_CLIENT'],
    occurredAt: new Date(occurredAt),
    eventId,
  });

  it('refuses a file holding a logon one second beyond the tolerance; at the tolerance it is ingested', async () => {
    const server = newServer();
    const f = new EventFactory();
    await h.publish([
      f.serverRegistered(server, 'CIC Primary'),
      f.licenseLoaded(server, LOCAL_LICENSE, '2020-05-01T00:00:00.000Z'),
    ]);
    const upload = (records: UsageRecord[], sequence: number) =>
      h.query<{ uploadUsageFile: { records: number; ingestedRecords: number } }>(UPLOAD, {
        s: server.serverId,
        n: `CIC Primary-2020-05-06-${sequence}.usage`,
        c: encryptUsageFile(encodeRecords(records), resolveUsageFileKey(h.env.config), {
          serverId: server.serverId,
          day: '2020-05-06',
          sequence,
        }),
      });
    const sessions = async () =>
      (
        await h.data<SessionsResult>(SESSIONS_QUERY, {
          serverId: server.serverId,
          from: '2020-05-01T00:00:00.000Z',
          to: '2020-05-10T00:00:00.000Z',
        })
      ).usageSessions;

    const refused = await upload(
      [record('logon', '2020-05-06T11:00:00.000Z', 'a1'), record('logon', '2020-05-06T12:05:01.000Z', 'a2')],
      1,
    );
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'EVENT_IN_FUTURE' });
    expect(await sessions()).toEqual([]);

    const accepted = await upload(
      [record('logon', '2020-05-06T12:04:00.000Z', 'b1'), record('logoff', '2020-05-06T12:05:00.000Z', 'b2')],
      2,
    );
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data?.uploadUsageFile).toEqual({ records: 2, ingestedRecords: 2 });
    expect(await sessions()).toMatchObject([
      { start: '2020-05-06T12:04:00.000Z', end: '2020-05-06T12:05:00.000Z' },
    ]);
  });
});
