import { describeEachDatabase } from '@lic/testing';
import {
  type BillingHarness,
  EventFactory,
  REPORT_QUERY,
  type ReportResult,
  SESSIONS_QUERY,
  type SessionsResult,
  UPLOAD_LICENSE,
  billingHarness,
  newServer,
} from '../../test/harness.js';

const day = (hhmm: string, date = '2020-05-04') => `${date}T${hhmm}:00.000Z`;
const WINDOW = { from: '2020-05-01T00:00:00.000Z', to: '2020-05-10T00:00:00.000Z' };
const PERIOD_START = '2020-04-28T00:00:00.000Z';

const CLIENT = 'I3_ACCESS_CLIENT';
const ACD_1 = 'I3_ACCESS_ACD_MEDIA_1';
const BASIC = 'I3_LICENSE_BASIC_STATION';

/**
 * Billing categories come from the user's own licences ("A user's assigned licenses establish
 * the user as either an Agent or Business User"), and every supervisor licence makes an agent
 * with the SUPERVISOR add-on (the reference's agent row: "ALL SUPERVISOR LICENSES").
 */
describeEachDatabase('billing categories from the user’s own licences', (database) => {
  let h: BillingHarness;
  beforeAll(async () => {
    h = await billingHarness({ database });
  });
  afterAll(async () => {
    await h.close();
  });

  const categoriesOf = async (serverId: string) =>
    Object.fromEntries(
      (await h.data<SessionsResult>(SESSIONS_QUERY, { serverId, ...WINDOW })).usageSessions.map((s) => [
        s.user.id,
        s.categories,
      ]),
    );
  const lines = async (accountId: string) =>
    Object.fromEntries(
      (
        await h.data<ReportResult>(REPORT_QUERY, { accountId, periodStart: PERIOD_START })
      ).usageReport.lines.map((l) => [l.category, l.namedUsers]),
    );

  it('the issue: "billing counts a dialer supervisor plug-in user as a business user" — every supervisor licence makes an AGENT with SUPERVISOR', async () => {
    const server = newServer();
    const f = new EventFactory();
    const session = (user: string, licenses: string[]) =>
      f.session(server, user, day('09:00'), day('10:00'), licenses);
    await h.publish([
      f.licenseLoaded(server, UPLOAD_LICENSE, day('00:00', '2020-05-01')),
      // SW-001-4.0-AA01 grants the dialer supervisor plug-in, which the reference's add-on table omits.
      ...session('dialer-supervisor', [CLIENT, 'I3_ACCESS_DIALER_SUPERVISOR_PLUGIN']),
      ...session('concurrent-supervisor', [CLIENT, 'I3_ACCESS_DIALER_SUPERVISOR_PLUGIN_CONCURRENT']),
      // A supervisor licence the table does not name (Interaction Supervisor iPad Edition, say).
      ...session('ipad-supervisor', [CLIENT, 'I3_ACCESS_SUPERVISOR_IPAD']),
      ...session('business-user', [CLIENT]),
    ]);
    expect(await categoriesOf(server.serverId)).toEqual({
      'dialer-supervisor': ['AGENT', 'SUPERVISOR'],
      'concurrent-supervisor': ['AGENT', 'SUPERVISOR'],
      'ipad-supervisor': ['AGENT', 'SUPERVISOR'],
      'business-user': ['BUSINESS_USER'],
    });
    expect(await lines(server.accountId)).toMatchObject({ AGENT: 3, BUSINESS_USER: 1, SUPERVISOR: 3 });
  });

  it('the issue: "bills a business user as an agent when the station holds ACD Media 1" — the user’s own licences decide', async () => {
    const server = newServer();
    const f = new EventFactory();
    // What allocation reports for a logon at a station holding ACD Media 1: the session's union,
    // and the user's own part of it.
    const atAcdStation = [BASIC, CLIENT, ACD_1];
    const business = { userLicenses: [CLIENT] };
    const agent = { userLicenses: [CLIENT, ACD_1] };
    await h.publish([
      f.licenseLoaded(server, UPLOAD_LICENSE, day('00:00', '2020-05-01')),
      f.logon(server, 'business-user', day('09:00'), atAcdStation, 'Connect', business),
      f.logoff(server, 'business-user', day('10:00'), atAcdStation, 'Connect', business),
      f.logon(server, 'agent', day('09:00'), atAcdStation, 'Connect', agent),
      f.logoff(server, 'agent', day('10:00'), atAcdStation, 'Connect', agent),
    ]);
    expect(await categoriesOf(server.serverId)).toEqual({
      'business-user': ['BUSINESS_USER'],
      agent: ['AGENT'],
    });
    const sessions = (await h.data<SessionsResult>(SESSIONS_QUERY, { serverId: server.serverId, ...WINDOW }))
      .usageSessions;
    // The session shows the licences applied to the user, which are the ones billed.
    expect(sessions.find((s) => s.user.id === 'business-user')?.licenses).toEqual([CLIENT]);
    expect(await lines(server.accountId)).toMatchObject({ AGENT: 1, BUSINESS_USER: 1 });
  });

  it('events without the user’s own licences (older producers) are classified by the session’s licences, as before', async () => {
    const server = newServer();
    const f = new EventFactory();
    await h.publish([
      f.licenseLoaded(server, UPLOAD_LICENSE, day('00:00', '2020-05-01')),
      ...f.session(server, 'older', day('09:00'), day('10:00'), [BASIC, CLIENT, ACD_1]),
    ]);
    expect(await categoriesOf(server.serverId)).toEqual({ older: ['AGENT'] });
  });

  it('a telephone-only logon (phone-only ACD agent, ACD access from the station) counts as AGENT', async () => {
    const server = newServer();
    const f = new EventFactory();
    await h.publish([
      f.licenseLoaded(server, UPLOAD_LICENSE, day('00:00', '2020-05-01')),
      f.logon(server, 'phone-agent', day('09:00'), [BASIC, ACD_1], 'Telephone', {
        userLicenses: [],
        telephoneOnly: true,
      }),
      f.logoff(server, 'phone-agent', day('10:00'), [BASIC, ACD_1], 'Telephone', { userLicenses: [] }),
    ]);
    expect(await categoriesOf(server.serverId)).toEqual({ 'phone-agent': ['AGENT'] });
  });

  it('the report names the mapping version it used, and sessions derived under an older version are derived again', async () => {
    const server = newServer();
    const f = new EventFactory();
    await h.publish([
      f.licenseLoaded(server, UPLOAD_LICENSE, day('00:00', '2020-05-01')),
      ...f.session(server, 'supervisor', day('09:00'), day('10:00'), [
        CLIENT,
        'I3_ACCESS_DIALER_SUPERVISOR_PLUGIN',
      ]),
    ]);
    const report = async () =>
      (await h.data<ReportResult>(REPORT_QUERY, { accountId: server.accountId, periodStart: PERIOD_START }))
        .usageReport;
    const { categoryVersion } = await report();
    expect(categoryVersion).not.toBe('2020R1');

    // As the previous release left it: derived with 2020R1, which billed this user as a business user.
    const db = h.billing.database.dataSource;
    await db.query(
      `UPDATE usage_session SET category_version = '2020R1', categories = 2 WHERE server_id = ?`,
      [server.serverId],
    );
    await db.query(`UPDATE usage_user_period SET categories = 2 WHERE server_id = ?`, [server.serverId]);
    await h.restart();
    expect(await report()).toMatchObject({ categoryVersion });
    expect(await lines(server.accountId)).toMatchObject({ AGENT: 1, BUSINESS_USER: 0, SUPERVISOR: 1 });
  });
});
