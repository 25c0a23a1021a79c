import { Webhook } from 'standardwebhooks';
import { DAY_MS, ManualClock, generateSigningKeyPair } from '@lic/shared';
import {
  type TestEnvironment,
  eventually,
  graphqlData,
  graphqlRequest,
  seed,
  testEnvironment,
  tokenFor,
} from '@lic/testing';
import { startStack, type Stack } from '@lic/scripts';
import { WebhookReceiver } from './webhook-receiver.js';

const CLIENT = 'I3_ACCESS_CLIENT';
const BASIC = 'I3_LICENSE_BASIC_STATION';
const LOGON = 'mutation($input: LogonInput!) { logon(input: $input) { acquired denied } }';

/**
 * The alert webhooks end to end (the platform in this process with its webhook worker, a local
 * HTTP receiver): a licence pool that runs out, a burst of denials and a usage upload missing at
 * its deadline each reach the partner's endpoint once, signed as Standard Webhooks says and
 * verified with that library. The platform's clock starts 50 days ago (usage then, due since) and
 * is moved to the present before anything is delivered (a signature's timestamp must be recent).
 */
describe('pool exhausted, denial burst and usage upload overdue webhooks (real platform)', () => {
  const keys = generateSigningKeyPair();
  const realNow = () => new Date(Math.floor(Date.now() / 1000) * 1000);
  const clock = new ManualClock(new Date(realNow().getTime() - 50 * DAY_MS));
  const receiver = new WebhookReceiver();
  let env: TestEnvironment;
  let stack: Stack;
  let admin: string;

  const api = <T>(query: string, variables: Record<string, unknown>, token = admin) =>
    graphqlData<T>(stack.gatewayUrl, query, variables, token);

  beforeAll(async () => {
    await receiver.start();
    env = testEnvironment({
      env: {
        LICENSE_SIGNING_PRIVATE_KEY: keys.privateKeyPem,
        LICENSE_SIGNING_PUBLIC_KEY: keys.publicKeyPem,
        WEBHOOK_ALLOW_LOOPBACK: 'true',
        WEBHOOK_POLL_MS: '100',
        WEBHOOK_RETRY_SCHEDULE_MS: '100',
        OUTBOX_POLL_MS: '100',
        DENIAL_BURST_THRESHOLD: '3',
        DENIAL_BURST_WINDOW_SECONDS: '60',
      },
    });
    stack = await startStack(env.config, { clock });
    admin = await tokenFor(stack.config, { roles: ['LICENSING_ADMIN'], certified: true });
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
    await receiver.stop();
    await env?.cleanup();
  });

  it('each reaches the endpoint once, signed, with its account, server, licence and counts', async () => {
    // A subscription whose usage is uploaded by hand; its pools are uncapped until the account
    // caps them: one at a time here.
    const made = await seed(api, { privateKeyPem: keys.privateKeyPem, now: () => clock.now() })
      .account({ name: 'Alerting Ltd' })
      .site()
      .server({ name: 'alerts-cic-1', waitMs: 15_000 })
      .file({
        licenseModel: 'SUBSCRIPTION',
        hostId: '00-15-5D-00-0B-17',
        keys: { I3_FEATURE_USAGE_TRACKING_LOCAL: 1, [`${CLIENT}_CONCURRENT`]: 1, [BASIC]: 5 },
      })
      .cap({ [`${CLIENT}_CONCURRENT`]: 1 })
      .station({ name: 'desk', licenses: [BASIC] })
      .users(['holder', 'waiting'], { licenses: [CLIENT] });
    const account = { id: made.accountId };
    const server = { id: made.serverId, name: made.serverName };
    const station = { id: made.stationId };
    const [holder, waiting] = [made.userIds['holder'], made.userIds['waiting']];
    const machine = await tokenFor(stack.config, { roles: ['SERVER'], serverId: server.id });
    const logon = (userId: string) =>
      graphqlRequest<{ logon: { acquired: string[] } }>(
        stack.gatewayUrl,
        LOGON,
        { input: { serverId: server.id, userId, stationId: station.id, application: 'Interaction Desktop' } },
        machine,
      );

    // 50 days ago: half an hour of usage, never uploaded.
    clock.advance(60_000);
    expect((await logon(holder)).data?.logon.acquired).toContain(`${CLIENT}_CONCURRENT`);
    clock.advance(30 * 60_000);
    await api(
      'mutation($input: LogoffInput!) { logoff(input: $input) { ended } }',
      { input: { serverId: server.id, userId: holder, application: 'Interaction Desktop' } },
      machine,
    );

    // Today: the partner subscribes to the three alerts.
    clock.set(realNow());
    const { createWebhookEndpoint } = await api<{
      createWebhookEndpoint: { secret: string; endpoint: { id: string } };
    }>(
      'mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret endpoint { id } } }',
      {
        input: {
          accountId: account.id,
          url: receiver.on('/alerts', () => 200),
          eventTypes: ['POOL_EXHAUSTED', 'DENIAL_BURST', 'USAGE_UPLOAD_OVERDUE'],
        },
      },
    );
    const secret = createWebhookEndpoint.secret;

    // The only licence is taken; four more logons are refused, a second apart.
    clock.advance(1000);
    expect((await logon(holder)).errors).toBeUndefined();
    for (let i = 0; i < 4; i++) {
      clock.advance(1000);
      const refused = await logon(waiting);
      expect(refused.errors?.[0]?.extensions?.['code']).toBeDefined();
    }

    // Billing's hourly pass (run now): the upload for the period 50 days ago is missing.
    const billing = stack.services.billing as unknown as { scheduler: { runOnce(): Promise<number> } };
    const received = await eventually(async () => {
      await billing.scheduler.runOnce();
      return receiver.at('/alerts').length >= 3 && receiver.at('/alerts');
    }, 30_000);
    // Nothing more comes: one event per episode.
    await new Promise((r) => setTimeout(r, 1000));
    await billing.scheduler.runOnce();
    await new Promise((r) => setTimeout(r, 1000));
    expect(receiver.at('/alerts')).toHaveLength(3);

    const bodies = received.map(
      (r) =>
        new Webhook(secret).verify(r.body, r.headers as Record<string, string>) as {
          type: string;
          data: Record<string, unknown>;
        },
    );
    const byType = Object.fromEntries(bodies.map((b) => [b.type, b.data]));
    expect(Object.keys(byType).sort()).toEqual([
      'pool.denial_burst',
      'pool.exhausted',
      'usage.upload_overdue',
    ]);
    expect(byType['pool.exhausted']).toMatchObject({
      accountId: account.id,
      serverId: server.id,
      licenseKey: `${CLIENT}_CONCURRENT`,
      limit: 1,
      inUse: 1,
      denied: 1,
    });
    expect(byType['pool.denial_burst']).toMatchObject({
      accountId: account.id,
      serverId: server.id,
      licenseKey: `${CLIENT}_CONCURRENT`,
      // At least the threshold: denials arriving while a check runs are counted into the next.
      denials: expect.any(Number),
      threshold: 3,
      windowSeconds: 60,
    });
    expect(byType['pool.denial_burst']?.['denials']).toBeGreaterThanOrEqual(3);
    expect(byType['usage.upload_overdue']).toMatchObject({
      accountId: account.id,
      serverId: server.id,
      state: 'MISSING',
      missingFiles: 1,
      lateFiles: 0,
    });
    // A tampered body fails verification.
    expect(() =>
      new Webhook(secret).verify(
        `${received[0]?.body ?? ''} `,
        received[0]?.headers as Record<string, string>,
      ),
    ).toThrow();
  }, 90_000);
});
