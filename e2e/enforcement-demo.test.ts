import { generateSigningKeyPair } from '@lic/shared';
import {
  type TestEnvironment,
  type TestSubscription,
  graphqlData,
  subscribe,
  testEnvironment,
  tokenFor,
  wsClient,
} from '@lic/testing';
import { type Client } from 'graphql-ws';
import { seedDemoData, startStack, type Stack } from '@lic/scripts';
import { type DemoHandle, runDemo } from '../scripts/src/demo.js';

/**
 * The enforcement demo on the real platform (four subgraphs and the gateway, in-process): the
 * seeded Demo Cloud account is made a demo account (DEMO_ENFORCEMENT_ACCOUNT_IDS) on a very fast
 * clock (a 7-day grace period in one second), `npm run demo -- --enforcement` stops the check-ins
 * of demo-cloud-1, and a supervisor subscribed through the gateway over graphql-ws sees it walk
 * the stages within seconds; then check-ins resume and it returns to stage 1. A real customer's
 * virtual-cloud server on the same platform does not move.
 */
const CHANGES = `subscription($serverId: ID) {
  enforcementStageChanged(serverId: $serverId) { server { id } from to at cause }
}`;
interface Change {
  server: { id: string };
  from: number;
  to: number;
  at: string;
  cause: string;
}
type Payload = { enforcementStageChanged: Change };

/** A real second is a week of the demo server's enforcement time: a stage a second. */
const SCALE = 7 * 86_400;

describe('enforcement demo: a virtual-cloud server of the demo account walks the stages on the fast clock', () => {
  const keys = generateSigningKeyPair();
  let env: TestEnvironment;
  let stack: Stack | undefined;
  let demo: DemoHandle | undefined;
  let client: Client | undefined;
  let sub: TestSubscription<Payload> | undefined;

  beforeAll(async () => {
    env = testEnvironment({
      env: { LICENSE_SIGNING_PRIVATE_KEY: keys.privateKeyPem, LICENSE_SIGNING_PUBLIC_KEY: keys.publicKeyPem },
    });
  });
  afterAll(async () => {
    sub?.close();
    await client?.dispose();
    await demo?.stop();
    await stack?.close();
    await env.cleanup();
  });

  it('stops check-ins, pushes stage 2 and beyond through the gateway within seconds, and returns to stage 1 when they resume', async () => {
    // The first start seeds; the operator then lists the demo account and restarts.
    stack = await startStack(env.config);
    const admin = await tokenFor(stack.config, { roles: ['LICENSING_ADMIN'], certified: true });
    const seeded = await seedDemoData(stack.gatewayUrl, admin);
    const cloud = seeded.servers.find((s) => s.name === 'demo-cloud-1')!;
    expect(cloud.accountId).toBe(seeded.demoEnforcementAccountId);
    await stack.close();
    stack = await startStack({
      ...env.config,
      demoEnforcement: { accountIds: [seeded.demoEnforcementAccountId], timeScale: SCALE },
    });
    const gatewayUrl = stack.gatewayUrl;
    const config = stack.config;

    // A real customer's virtual-cloud server, licensed the same way, on the same platform.
    const acme = seeded.servers.find((s) => s.name === 'acme-cic-1')!;
    const acmeToken = await tokenFor(config, { roles: ['SERVER'], serverId: acme.id });
    await graphqlData(
      gatewayUrl,
      'mutation($id: ID!) { checkIn(serverId: $id) { stage } }',
      { id: acme.id },
      acmeToken,
    );

    const supervisor = await tokenFor(config, { roles: ['SUPERVISOR'], accountId: cloud.accountId });
    client = wsClient(gatewayUrl, supervisor, null);
    sub = subscribe<Payload>(client, CHANGES, { serverId: cloud.id });
    await new Promise((r) => setTimeout(r, 500));

    const started = Date.now();
    const lines: string[] = [];
    demo = await runDemo({
      gatewayUrl,
      adminToken: admin,
      serverToken: (serverId) => tokenFor(config, { roles: ['SERVER'], serverId }),
      servers: ['demo-cloud-1'],
      usersPerServer: 2,
      intervalMs: 200,
      enforcement: { stopCheckIns: true, resumeAfterMs: 1000 },
      log: (line) => lines.push(line),
    });
    expect(demo.enforcement).toMatchObject({ name: 'demo-cloud-1', clock: { fast: true } });
    expect(demo.enforcement!.clock!.graceMs).toBe(1000);

    // The demo's first check-in is the start of the walk; then time alone moves the server.
    const changes = () =>
      sub!.received.map((p) => p.data?.enforcementStageChanged).filter((c) => c !== undefined);
    const walk = async () => {
      for (;;) {
        const all = changes();
        const checkIn = all.findIndex((c) => c.cause !== 'GRACE_PERIOD_ELAPSED' && c.to === 1);
        const after = checkIn < 0 ? [] : all.slice(checkIn + 1);
        if (after.some((c) => c.to >= 3)) return { checkIn: all[checkIn]!, after };
        if (Date.now() - started > 15_000)
          throw new Error(`no walk past stage 2: ${JSON.stringify(all)}\n${lines.join('\n')}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    const { checkIn, after } = await walk();
    expect(after.slice(0, 2).map((c) => [c.from, c.to, c.cause])).toEqual([
      [1, 2, 'GRACE_PERIOD_ELAPSED'],
      [2, 3, 'GRACE_PERIOD_ELAPSED'],
    ]);
    // A stage a second (real instants in the history); the first a second after the check-in's
    // instant, which is recorded as the write commits, a little after the anchor.
    expect(Date.parse(after[1]!.at) - Date.parse(after[0]!.at)).toBe(1000);
    const firstAfterCheckIn = Date.parse(after[0]!.at) - Date.parse(checkIn.at);
    expect(firstAfterCheckIn).toBeGreaterThan(500);
    expect(firstAfterCheckIn).toBeLessThanOrEqual(1000);
    expect(Date.now() - started).toBeLessThan(15_000);

    // At stage 6 the demo waits a second, then checks in again: back to stage 1.
    for (;;) {
      const last = changes().at(-1);
      if (last && last.from === 6 && last.to === 1) break;
      if (Date.now() - started > 30_000) throw new Error(`never back to stage 1:\n${lines.join('\n')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(lines.join('\n')).toMatch(/demo-cloud-1: check-ins resumed, stage 1 \(FULLY_FUNCTIONAL\)/);

    // The customer's server never sped up: its next stage comes a real week after its ramp date.
    const { enforcementStatus } = await graphqlData<{
      enforcementStatus: { stage: number; rampDate: string; nextStageAt: string };
    }>(
      gatewayUrl,
      'query($id: ID!) { enforcementStatus(serverId: $id) { stage rampDate nextStageAt } }',
      { id: acme.id },
      admin,
    );
    expect(enforcementStatus.stage).toBe(1);
    expect(Date.parse(enforcementStatus.nextStageAt) - Date.parse(enforcementStatus.rampDate)).toBe(
      7 * 86_400_000,
    );
  }, 120_000);
});
