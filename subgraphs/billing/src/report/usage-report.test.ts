import { describeEachDatabase } from '@lic/testing';
import {
  type BillingHarness,
  EventFactory,
  LICENSES,
  REPORT_QUERY,
  type ReportLine,
  type ReportResult,
  UPLOAD_LICENSE,
  billingHarness,
  newServer,
} from '../../test/harness.js';
import { UsageReportService } from './usage-report.service.js';

const MAY = '2020-04-28T00:00:00.000Z';
const JUNE = '2020-05-28T00:00:00.000Z';
const minutes = (base: string, m: number) => new Date(Date.parse(base) + m * 60_000).toISOString();

describeEachDatabase('usage report', (database) => {
  let h: BillingHarness;
  beforeAll(async () => {
    h = await billingHarness({ database });
    h.clock.set('2020-07-01T00:00:00.000Z');
  });
  afterAll(async () => {
    await h.close();
  });

  const report = async (accountId: string, periodStart = MAY, token?: string) =>
    (await h.data<ReportResult>(REPORT_QUERY, { accountId, periodStart }, token)).usageReport;
  const line = (lines: ReportLine[], category: string) => lines.find((l) => l.category === category);

  async function trackedServer() {
    const server = newServer();
    const f = new EventFactory();
    await h.publish([f.licenseLoaded(server, UPLOAD_LICENSE, '2020-01-01T00:00:00.000Z')]);
    return { server, f };
  }

  it('reports named users, peak, billable concurrent users and active hours per category', async () => {
    const { server, f } = await trackedServer();
    const d = '2020-05-04T';
    await h.publish([
      // John Smith's day: one active session of 8.5 hours.
      f.logon(server, 'john', `${d}08:00:00Z`, LICENSES.john, 'ICBM'),
      f.logon(server, 'john', `${d}08:30:00Z`, LICENSES.john, 'Connect'),
      f.logoff(server, 'john', `${d}15:00:00Z`, LICENSES.john, 'ICBM'),
      f.logon(server, 'john', `${d}15:30:00Z`, LICENSES.john, 'Desktop'),
      f.logoff(server, 'john', `${d}16:00:00Z`, LICENSES.john, 'Connect'),
      f.logoff(server, 'john', `${d}16:30:00Z`, LICENSES.john, 'Desktop'),
      ...f.session(server, 'tina', `${d}09:00:00Z`, `${d}10:00:00Z`, LICENSES.tina),
      ...f.session(server, 'sam', `${d}09:00:00Z`, `${d}11:00:00Z`, LICENSES.sam),
      ...f.session(server, 'jane', `${d}10:00:00Z`, `${d}12:00:00Z`, LICENSES.jane),
      // Sam again on another day: still one named user.
      ...f.session(server, 'sam', '2020-05-20T09:00:00Z', '2020-05-20T09:30:00Z', LICENSES.sam),
    ]);
    const r = await report(server.accountId);
    expect(r).toMatchObject({
      accountId: server.accountId,
      basis: 'NAMED',
      categoryVersion: '2020R1-2',
      final: true,
      billableConcurrentMinutes: 30,
      period: { start: MAY, end: JUNE, uploadDeadline: '2020-06-04T00:00:00.000Z' },
    });
    expect(r.lines).toEqual([
      {
        category: 'AGENT',
        namedUsers: 3,
        peakConcurrent: 3,
        billableConcurrent: 3,
        activeHours: 13,
        billableQuantity: 3,
      },
      {
        category: 'BUSINESS_USER',
        namedUsers: 1,
        peakConcurrent: 1,
        billableConcurrent: 1,
        activeHours: 1,
        billableQuantity: 1,
      },
      {
        category: 'FEEDBACK',
        namedUsers: 1,
        peakConcurrent: 1,
        billableConcurrent: 1,
        activeHours: 2,
        billableQuantity: 1,
      },
      {
        category: 'MULTI_CHANNEL',
        namedUsers: 1,
        peakConcurrent: 1,
        billableConcurrent: 1,
        activeHours: 2,
        billableQuantity: 1,
      },
      {
        category: 'RECORDER',
        namedUsers: 1,
        peakConcurrent: 1,
        billableConcurrent: 1,
        activeHours: 8.5,
        billableQuantity: 1,
      },
    ]);
  });

  describe('the 30-minute rule', () => {
    // A plateau of 10 agents from 08:00 to 18:00, and 2 more for a while.
    async function plateauWithPeaks(peaks: Array<[number, number]>) {
      const { server, f } = await trackedServer();
      const base = '2020-05-05T08:00:00.000Z';
      const events = [];
      for (let i = 0; i < 10; i++)
        events.push(...f.session(server, `agent-${i}`, base, minutes(base, 600), LICENSES.sam));
      peaks.forEach(([from, to], i) => {
        events.push(
          ...f.session(server, `extra-a-${i}`, minutes(base, from), minutes(base, to), LICENSES.sam),
        );
        events.push(
          ...f.session(server, `extra-b-${i}`, minutes(base, from), minutes(base, to), LICENSES.sam),
        );
      });
      await h.publish(events);
      return line((await report(server.accountId)).lines, 'AGENT')!;
    }

    it('ignores a 20-minute peak of 12 over a long plateau of 10: bills 10', async () => {
      const agents = await plateauWithPeaks([[120, 140]]);
      expect(agents.peakConcurrent).toBe(12);
      expect(agents.billableConcurrent).toBe(10);
    });

    it('bills 12 for the same peak held 35 minutes in two pieces', async () => {
      const agents = await plateauWithPeaks([
        [120, 140],
        [300, 315],
      ]);
      expect(agents.peakConcurrent).toBe(12);
      expect(agents.billableConcurrent).toBe(12);
    });
  });

  it('counts a session spanning the period boundary in both periods (27th 23:59 vs 28th 00:00)', async () => {
    const { server, f } = await trackedServer();
    await h.publish([
      ...f.session(server, 'night', '2020-05-27T23:00:00Z', '2020-05-28T01:00:00Z', LICENSES.sam),
      ...f.session(server, 'late', '2020-05-27T23:59:00Z', '2020-05-27T23:59:59Z', LICENSES.tina),
      ...f.session(server, 'early', '2020-05-28T00:00:00Z', '2020-05-28T00:30:00Z', LICENSES.tina),
    ]);
    const may = await report(server.accountId, MAY);
    const june = await report(server.accountId, JUNE);
    expect(line(may.lines, 'AGENT')).toMatchObject({ namedUsers: 1, activeHours: 1 });
    expect(line(may.lines, 'BUSINESS_USER')).toMatchObject({ namedUsers: 1 });
    expect(line(june.lines, 'AGENT')).toMatchObject({ namedUsers: 1, activeHours: 1 });
    expect(line(june.lines, 'BUSINESS_USER')).toMatchObject({ namedUsers: 1, activeHours: 0.5 });
  });

  it('crosses the year: December 28 to January 27, due February 4', async () => {
    const { server, f } = await trackedServer();
    h.clock.set('2021-03-01T00:00:00.000Z');
    await h.publish([
      ...f.session(server, 'nye', '2020-12-31T22:00:00Z', '2021-01-01T02:00:00Z', LICENSES.sam),
      ...f.session(server, 'jan', '2021-01-27T23:00:00Z', '2021-01-28T01:00:00Z', LICENSES.sam),
    ]);
    const december = await report(server.accountId, '2020-12-28T00:00:00.000Z');
    expect(december.period).toEqual({
      start: '2020-12-28T00:00:00.000Z',
      end: '2021-01-28T00:00:00.000Z',
      uploadDeadline: '2021-02-04T00:00:00.000Z',
    });
    expect(line(december.lines, 'AGENT')).toMatchObject({ namedUsers: 2, activeHours: 5 });
    const january = await report(server.accountId, '2021-01-28T00:00:00.000Z');
    expect(line(january.lines, 'AGENT')).toMatchObject({ namedUsers: 1, activeHours: 1 });
    h.clock.set('2020-07-01T00:00:00.000Z');
  });

  it('counts a session still going in every period it spans, up to now in the period in progress', async () => {
    const { server, f } = await trackedServer();
    h.clock.set('2020-06-10T12:00:00.000Z');
    await h.publish([f.logon(server, 'stayer', '2020-05-27T12:00:00Z', LICENSES.sam)]);
    const may = await report(server.accountId, MAY);
    const june = await report(server.accountId, JUNE);
    expect(may.final).toBe(true);
    expect(line(may.lines, 'AGENT')).toMatchObject({ namedUsers: 1, activeHours: 12 });
    expect(june.final).toBe(false);
    expect(june.asOf).toBe('2020-06-10T12:00:00.000Z');
    expect(line(june.lines, 'AGENT')).toMatchObject({
      namedUsers: 1,
      peakConcurrent: 1,
      activeHours: 13 * 24 + 12,
    });
    h.clock.set('2020-07-01T00:00:00.000Z');
  });

  it('bills by the account basis, which only the licensing team may change', async () => {
    const { server, f } = await trackedServer();
    const base = '2020-05-06T08:00:00.000Z';
    // 3 agents on different days: named 3, never more than 1 at once.
    await h.publish([
      ...f.session(server, 'a', base, minutes(base, 60), LICENSES.sam),
      ...f.session(server, 'b', minutes(base, 1440), minutes(base, 1500), LICENSES.sam),
      ...f.session(server, 'c', minutes(base, 2880), minutes(base, 2940), LICENSES.sam),
    ]);
    expect(line((await report(server.accountId)).lines, 'AGENT')?.billableQuantity).toBe(3);
    const setBasis =
      'mutation($a: ID!, $b: BillingBasis!) { setBillingBasis(accountId: $a, basis: $b) { id billingBasis } }';
    const customer = await h.token(['CUSTOMER_ADMIN'], { accountId: server.accountId });
    const refused = await h.query(setBasis, { a: server.accountId, b: 'CONCURRENT' }, customer);
    expect(refused.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    expect(await h.data(setBasis, { a: server.accountId, b: 'CONCURRENT' })).toEqual({
      setBillingBasis: { id: server.accountId, billingBasis: 'CONCURRENT' },
    });
    const concurrent = await report(server.accountId);
    expect(concurrent.basis).toBe('CONCURRENT');
    expect(line(concurrent.lines, 'AGENT')).toMatchObject({
      namedUsers: 3,
      billableConcurrent: 1,
      billableQuantity: 1,
    });
  });

  it('refuses a period start that is not a 28th, and reports of other tenants', async () => {
    const { server } = await trackedServer();
    const bad = await h.query(REPORT_QUERY, {
      accountId: server.accountId,
      periodStart: '2020-05-01T00:00:00.000Z',
    });
    expect(bad.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    const own = await h.token(['SUPERVISOR'], { accountId: server.accountId });
    expect(
      (await h.query(REPORT_QUERY, { accountId: server.accountId, periodStart: MAY }, own)).errors,
    ).toBeUndefined();
    const other = await h.token(['CUSTOMER_ADMIN'], { accountId: 'other' });
    const forbidden = await h.query(REPORT_QUERY, { accountId: server.accountId, periodStart: MAY }, other);
    expect(forbidden.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    const machine = await h.token(['SERVER'], { serverId: server.serverId, accountId: server.accountId });
    const machineReport = await h.query(
      REPORT_QUERY,
      { accountId: server.accountId, periodStart: MAY },
      machine,
    );
    expect(machineReport.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
  });

  it('re-derives the figures when a licence load arrives after the sessions it governs', async () => {
    const server = newServer();
    const f = new EventFactory();
    await h.publish([
      f.licenseLoaded(server, UPLOAD_LICENSE, '2020-05-01T00:00:00.000Z'),
      ...f.session(server, 'sam', '2020-05-10T08:00:00Z', '2020-05-10T12:00:00Z', LICENSES.sam),
      ...f.session(server, 'tina', '2020-05-12T08:00:00Z', '2020-05-12T12:00:00Z', LICENSES.tina),
    ]);
    expect(line((await report(server.accountId)).lines, 'AGENT')).toMatchObject({
      namedUsers: 1,
      activeHours: 4,
    });
    // A licence without usage tracking was in force from May 10th 10:00 until May 11th.
    await h.publish([
      f.licenseLoaded(server, { I3_ACCESS_CLIENT: 10 }, '2020-05-10T10:00:00.000Z'),
      f.licenseLoaded(server, UPLOAD_LICENSE, '2020-05-11T00:00:00.000Z'),
    ]);
    const r = await report(server.accountId);
    expect(line(r.lines, 'AGENT')).toMatchObject({ namedUsers: 1, activeHours: 2 });
    expect(line(r.lines, 'BUSINESS_USER')).toMatchObject({ namedUsers: 1, activeHours: 4 });
    await h.publish([f.licenseLoaded(server, { I3_ACCESS_CLIENT: 10 }, '2020-05-10T07:00:00.000Z')]);
    expect(line((await report(server.accountId)).lines, 'AGENT')).toMatchObject({
      namedUsers: 0,
      activeHours: 0,
    });
  });

  it('gives the same figures whatever the keyset page size', async () => {
    const { server, f } = await trackedServer();
    const base = '2020-05-07T08:00:00.000Z';
    // Many sessions sharing instants and category sets, so pages end mid-instant.
    const events = Array.from({ length: 40 }, (_, i) =>
      f.session(
        server,
        `u${i}`,
        minutes(base, (i % 7) * 10),
        minutes(base, 45 + (i % 5) * 20),
        i % 3 ? LICENSES.jane : LICENSES.tina,
      ),
    ).flat();
    await h.publish(events);
    const { deriver, clock } = h.billing.services;
    const { dataSource } = h.billing.database;
    const paged = new UsageReportService(dataSource, deriver, clock, {
      billableConcurrentMinutes: 30,
      batchSize: 2,
    });
    const whole = await h.billing.services.reports.report(server.accountId, new Date(MAY), 'NAMED');
    expect(await paged.report(server.accountId, new Date(MAY), 'NAMED')).toEqual(whole);
    expect(whole.lines.find((l) => l.category === 'AGENT')?.namedUsers).toBe(26);
  });
});
