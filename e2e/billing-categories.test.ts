import { ManualClock, generateSigningKeyPair } from '@lic/shared';
import { type TestEnvironment, eventually, graphqlData, seed, testEnvironment, tokenFor } from '@lic/testing';
import { startStack, type Stack } from '@lic/scripts';

const CLIENT = 'I3_ACCESS_CLIENT';
const ACD_1 = 'I3_ACCESS_ACD_MEDIA_1';
const BASIC = 'I3_LICENSE_BASIC_STATION';
const DIALER_SUPERVISOR = 'I3_ACCESS_DIALER_SUPERVISOR_PLUGIN';

interface UsageSessions {
  usageSessions: Array<{ user: { id: string }; categories: string[] }>;
}

/**
 * The billing side door on the real platform (four subgraphs and the gateway, in-process):
 * "Billing counts a dialer supervisor plug-in user as a business user, and bills a business user
 * as an agent when the station holds ACD Media 1". The reference: "A user's assigned licenses
 * establish the user as either an Agent or Business User"; the agent row lists "ALL SUPERVISOR
 * LICENSES".
 */
describe('billing categories through the gateway (real platform)', () => {
  const keys = generateSigningKeyPair();
  const clock = new ManualClock(new Date(Math.floor(Date.now() / 1000) * 1000));
  let env: TestEnvironment;
  let stack: Stack;
  let admin: string;

  const api = <T>(query: string, variables: Record<string, unknown>, token = admin) =>
    graphqlData<T>(stack.gatewayUrl, query, variables, token);

  beforeAll(async () => {
    env = testEnvironment({
      env: { LICENSE_SIGNING_PRIVATE_KEY: keys.privateKeyPem, LICENSE_SIGNING_PUBLIC_KEY: keys.publicKeyPem },
    });
    stack = await startStack(env.config, { clock });
    admin = await tokenFor(stack.config, { roles: ['LICENSING_ADMIN'], certified: true });
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
    await env?.cleanup();
  });

  it('bills a business user at an ACD Media 1 station as BUSINESS_USER, and a dialer supervisor plug-in user as AGENT with SUPERVISOR', async () => {
    // A subscription with automated usage upload: logons are billed.
    const made = await seed(api, { privateKeyPem: keys.privateKeyPem, now: () => clock.now() })
      .account({ name: 'Billing categories' })
      .site({ address: '1 Main Street, Indianapolis' })
      .server({ name: 'billing-cic-1' })
      .file({
        licenseModel: 'SUBSCRIPTION',
        hostId: '00-15-5D-00-0B-01',
        keys: {
          I3_FEATURE_USAGE_TRACKING_UPLOAD: 1,
          [`${CLIENT}_CONCURRENT`]: 5,
          [`${DIALER_SUPERVISOR}_CONCURRENT`]: 5,
          [ACD_1]: 5,
          [BASIC]: 5,
        },
      })
      .station({ name: 'acd-desk', licenses: [BASIC, ACD_1] })
      .station({ name: 'desk', licenses: [BASIC] })
      .users(['business-user'], { licenses: [CLIENT] })
      .users(['dialer-supervisor'], { licenses: [CLIENT, DIALER_SUPERVISOR] });
    const server = { id: made.serverId };
    const { 'acd-desk': acdDesk, desk } = made.stationIds;
    const { 'business-user': business, 'dialer-supervisor': supervisor } = made.userIds;
    const machine = await tokenFor(stack.config, { roles: ['SERVER'], serverId: server.id });
    clock.advance(60_000);
    for (const [userId, stationId] of [
      [business, acdDesk],
      [supervisor, desk],
    ] as const) {
      await api(
        'mutation($input: LogonInput!) { logon(input: $input) { acquired } }',
        { input: { serverId: server.id, userId, stationId, application: 'Interaction Desktop' } },
        machine,
      );
    }
    clock.advance(30 * 60_000);
    for (const userId of [business, supervisor]) {
      await api(
        'mutation($input: LogoffInput!) { logoff(input: $input) { ended } }',
        { input: { serverId: server.id, userId, application: 'Interaction Desktop' } },
        machine,
      );
    }

    const categories = async () =>
      Object.fromEntries(
        (
          await api<UsageSessions>(
            'query($id: ID!) { usageSessions(serverId: $id) { user { id } categories } }',
            { id: server.id },
          )
        ).usageSessions.map((s) => [s.user.id, s.categories]),
      );
    await eventually(async () => Object.keys(await categories()).length === 2, 20_000);
    expect(await categories()).toEqual({
      [business]: ['BUSINESS_USER'],
      [supervisor]: ['AGENT', 'SUPERVISOR'],
    });
  }, 60_000);
});
