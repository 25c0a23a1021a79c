import { randomUUID } from 'node:crypto';
import { testEnvironment } from '@lic/testing';
import { startEnforcement, type EnforcementHarness } from '../../test/harness.js';

const STATUS = `query($id: ID!) { enforcementStatus(serverId: $id) { stage nextStageAt gracePeriodDays } }`;
const HISTORY = `query($id: ID!) { enforcementHistory(serverId: $id) { from to at cause } }`;
const CHECK_IN = `mutation($id: ID!) { checkIn(serverId: $id) { stage goodStanding } }`;

interface Status {
  stage: number;
  nextStageAt: string | null;
  gracePeriodDays: number | null;
}

/**
 * The subgraph as configured for a demo: one demo account whose servers run on the fast clock
 * (a real second is 20160 s of enforcement time) next to a customer with the same licence.
 */
describe('enforcement: the demo clock speeds up only the demo account', () => {
  const demoAccount = randomUUID();
  const env = testEnvironment({
    database: 'sqlite',
    env: {
      ENFORCEMENT_TICK_SECONDS: '3600',
      DEMO_ENFORCEMENT_ACCOUNT_IDS: demoAccount,
      DEMO_ENFORCEMENT_TIME_SCALE: '20160',
    },
  });
  let h: EnforcementHarness;
  const start = new Date('2026-12-07T06:00:00.000Z');
  const at = (seconds: number) => new Date(start.getTime() + seconds * 1000).toISOString();

  beforeAll(async () => {
    h = await startEnforcement({ env });
  });
  afterAll(async () => {
    await h.close();
    await env.cleanup();
  });

  const status = async (serverId: string) =>
    (await h.gql<{ enforcementStatus: Status }>(STATUS, { id: serverId })).enforcementStatus;
  const checkIn = async (serverId: string) =>
    (
      await h.gql<{ checkIn: { stage: number; goodStanding: boolean } }>(
        CHECK_IN,
        { id: serverId },
        await h.token(['SERVER'], { serverId }),
      )
    ).checkIn;

  it("walks the demo server through every stage in 150 s while the customer's server stays at stage 1", async () => {
    h.clock.set(start);
    const demo = await h.registerServer(demoAccount);
    const customer = await h.registerServer();
    for (const server of [demo, customer]) {
      await h.loadLicense(server, { rampDate: '2026-12-01T00:00:00.000Z', graceDays: 7 });
      expect(await checkIn(server.serverId)).toEqual({ stage: 1, goodStanding: true });
    }
    expect(await status(demo.serverId)).toEqual({ stage: 1, nextStageAt: at(30), gracePeriodDays: 7 });
    expect(await status(customer.serverId)).toEqual({
      stage: 1,
      nextStageAt: at(7 * 86_400),
      gracePeriodDays: 7,
    });

    // The scheduler moves the demo server on the injected clock, one stage every 30 s.
    for (let s = 10; s <= 150; s += 10) {
      h.clock.set(at(s));
      await h.handle.scheduler.tick();
    }
    const { enforcementHistory } = await h.gql<{
      enforcementHistory: Array<{ from: number; to: number; at: string; cause: string }>;
    }>(HISTORY, { id: demo.serverId });
    expect(enforcementHistory.filter((c) => c.cause === 'GRACE_PERIOD_ELAPSED')).toEqual([
      { from: 1, to: 2, at: at(30), cause: 'GRACE_PERIOD_ELAPSED' },
      { from: 2, to: 3, at: at(60), cause: 'GRACE_PERIOD_ELAPSED' },
      { from: 3, to: 4, at: at(90), cause: 'GRACE_PERIOD_ELAPSED' },
      { from: 4, to: 5, at: at(120), cause: 'GRACE_PERIOD_ELAPSED' },
      { from: 5, to: 6, at: at(150), cause: 'GRACE_PERIOD_ELAPSED' },
    ]);
    expect(await status(demo.serverId)).toMatchObject({ stage: 6, nextStageAt: null });
    expect(await status(customer.serverId)).toEqual({
      stage: 1,
      nextStageAt: at(7 * 86_400),
      gracePeriodDays: 7,
    });

    // Six real days later the customer's server is still at stage 1; it reaches 2 on day 7 only.
    h.clock.set(at(6 * 86_400));
    await h.handle.scheduler.tick();
    expect((await status(customer.serverId)).stage).toBe(1);

    // A good check-in returns the demo server to stage 1, as the rules say.
    expect(await checkIn(demo.serverId)).toEqual({ stage: 1, goodStanding: true });
  });

  it('puts a server on its demo clock at start-up when its account has just been listed', async () => {
    // Until now its account was an ordinary one: the real-time harness's writes planned its stages.
    const account = randomUUID();
    h.clock.set(start);
    const server = await h.registerServer(account);
    await h.loadLicense(server, { rampDate: '2026-12-01T00:00:00.000Z', graceDays: 7 });
    await checkIn(server.serverId);
    expect((await h.row(server.serverId))?.nextStageAt).toEqual(new Date(at(7 * 86_400)));
    await h.close();

    // Restarted with the account listed, 75 s later: the first tick records stages 2 and 3.
    h.clock.set(at(75));
    h = await startEnforcement({
      env: {
        ...env,
        config: { ...env.config, demoEnforcement: { accountIds: [demoAccount, account], timeScale: 20_160 } },
      },
      clock: h.clock,
    });
    await h.handle.scheduler.tick();
    expect(await h.row(server.serverId)).toMatchObject({ stage: 3, nextStageAt: new Date(at(90)) });
    const { enforcementHistory } = await h.gql<{ enforcementHistory: Array<{ to: number; at: string }> }>(
      HISTORY,
      { id: server.serverId },
    );
    expect(enforcementHistory.slice(-2).map((c) => [c.to, c.at])).toEqual([
      [2, at(30)],
      [3, at(60)],
    ]);
  });
});
