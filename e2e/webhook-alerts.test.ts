import { randomUUID } from 'node:crypto';
import { createCustomerWithSite } from './helpers.js';
import { Webhook } from 'standardwebhooks';
import { DAY_MS, ManualClock, generateSigningKeyPair, signLicenseFile } from '@lic/shared';
import {
  type TestEnvironment,
  eventually,
  graphqlData,
  graphqlRequest,
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
    const { account, site } = await createCustomerWithSite(api, 'Alerting Ltd');
    const server = await eventually(
      async () =>
        (
          await api<{ registerServer: { id: string; name: string } }>(
            'mutation($input: RegisterServerInput!) { registerServer(input: $input) { id name } }',
            { input: { accountId: account.id, installSiteId: site.id, name: 'alerts-cic-1' } },
          )
        ).registerServer,
      15_000,
    );
    // A subscription whose usage is uploaded by hand.
    const file = signLicenseFile(
      {
        fileId: `e2e-${randomUUID().slice(0, 8)}`,
        accountId: account.id,
        installSiteId: site.id,
        licenseModel: 'SUBSCRIPTION',
        licenseType: 'PRODUCTION',
        product: 'PureConnect CIC',
        productVersion: '2020 R1',
        generatedAt: new Date(clock.now().getTime() - DAY_MS),
        expiresAt: new Date('2100-01-01T00:00:00.000Z'),
        machine: {
          hostId: '00-15-5D-00-0B-17',
          machineName: server.name,
          systemType: 'Windows Server 2019',
          serverItem: 'Basic Server',
        },
        keys: [
          { key: 'I3_FEATURE_USAGE_TRACKING_LOCAL', quantity: 1 },
          { key: `${CLIENT}_CONCURRENT`, quantity: 1 },
          { key: BASIC, quantity: 5 },
        ],
      },
      keys.privateKeyPem,
    );
    await api('mutation($id: ID!, $c: String!) { loadLicenseFile(serverId: $id, content: $c) { id } }', {
      id: server.id,
      c: file,
    });
    // Subscription pools are uncapped until the account caps them: one at a time here.
    await api(
      'mutation($a: ID!, $k: String!, $c: Int) { setAccountLicenseCap(accountId: $a, key: $k, cap: $c) { cap } }',
      { a: account.id, k: `${CLIENT}_CONCURRENT`, c: 1 },
    );
    const { createStation: station } = await api<{ createStation: { id: string } }>(
      'mutation($input: CreateStationInput!) { createStation(input: $input) { id } }',
      { input: { serverId: server.id, name: 'desk', kind: 'WORKSTATION', licenses: [BASIC] } },
    );
    const user = async (name: string) =>
      (
        await api<{ createCicUser: { id: string } }>(
          'mutation($input: CreateCicUserInput!) { createCicUser(input: $input) { id } }',
          { input: { serverId: server.id, name, allocationMethod: 'CONCURRENT', licenses: [CLIENT] } },
        )
      ).createCicUser.id;
    const [holder, waiting] = [await user('holder'), await user('waiting')];
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
