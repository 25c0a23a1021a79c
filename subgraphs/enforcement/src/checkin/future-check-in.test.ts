import { describeEachDatabase } from '@lic/testing';
import { gqlErrorCode, startEnforcement, type EnforcementHarness } from '../../test/harness.js';

const CHECK_IN = `mutation($serverId: ID!, $success: Boolean!, $occurredAt: DateTime) {
  recordCheckIn(serverId: $serverId, success: $success, occurredAt: $occurredAt) { stage lastGoodCheckIn }
}`;
const CHECK_INS = `query($serverId: ID!) { enforcementCheckIns(serverId: $serverId) { success occurredAt } }`;
const STATUS = `query($serverId: ID!) { enforcementStatus(serverId: $serverId) { stage lastGoodCheckIn } }`;

/**
 * A check-in whose occurredAt lies more than the configured tolerance (EVENT_FUTURE_TOLERANCE_SECONDS,
 * default 5 minutes) ahead of the platform's clock is refused with EVENT_IN_FUTURE; nothing changes.
 */
describeEachDatabase('enforcement: future-dated check-ins', (database) => {
  let h: EnforcementHarness;

  beforeAll(async () => {
    h = await startEnforcement({ database });
  });
  afterAll(() => h.close());

  const NOW = '2020-06-10T00:00:00.000Z';

  async function serverInStage2() {
    h.clock.set('2020-05-01T00:00:00.000Z');
    const server = await h.registerServer();
    await h.loadLicense(server);
    h.clock.set(NOW);
    await h.handle.scheduler.tick();
    return { ...server, token: await h.token(['SERVER'], { serverId: server.serverId }) };
  }

  it('a check-in dated 2099, or one second beyond the tolerance, is refused (EVENT_IN_FUTURE) and recorded nowhere', async () => {
    const server = await serverInStage2();
    for (const occurredAt of ['2099-01-01T00:00:00.000Z', '2020-06-10T00:05:01.000Z']) {
      expect(
        await gqlErrorCode(
          h,
          CHECK_IN,
          { serverId: server.serverId, success: true, occurredAt },
          server.token,
        ),
      ).toBe('EVENT_IN_FUTURE');
    }
    const { enforcementCheckIns } = await h.gql<{ enforcementCheckIns: unknown[] }>(CHECK_INS, {
      serverId: server.serverId,
    });
    expect(enforcementCheckIns).toEqual([]);
    const { enforcementStatus } = await h.gql<{ enforcementStatus: { stage: number } }>(STATUS, {
      serverId: server.serverId,
    });
    expect(enforcementStatus).toEqual({ stage: 2, lastGoodCheckIn: null });
  });

  it('a check-in exactly the tolerance ahead is accepted (it happened now, as far as we can tell)', async () => {
    const server = await serverInStage2();
    const { recordCheckIn } = await h.gql<{ recordCheckIn: unknown }>(
      CHECK_IN,
      { serverId: server.serverId, success: true, occurredAt: '2020-06-10T00:05:00.000Z' },
      server.token,
    );
    expect(recordCheckIn).toEqual({ stage: 1, lastGoodCheckIn: NOW });
  });
});
