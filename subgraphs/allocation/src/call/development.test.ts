import { CALL_PORT_KEY } from '@lic/shared';
import { describeEachDatabase, subscribe, wsClient } from '@lic/testing';
import {
  Harness,
  STATISTICS_SUBSCRIPTION,
  type StatisticsUpdate,
  type TestServer,
} from '../../test/harness.js';

const OPEN = `mutation($s: ID!, $c: ID!) { openCall(serverId: $s, callId: $c) { accepted open limit endCause } }`;
const CLOSE = `mutation($s: ID!, $c: ID!) {
  closeCall(serverId: $s, callId: $c) { accepted open limit endCause endedAt }
}`;
const ENDED = `query($id: ID!) {
  server(id: $id) { endedCalls { callId openedAt endedAt cause } }
}`;

interface EndedCall {
  callId: string;
  openedAt: string;
  endedAt: string;
  cause: string;
}

const HOUR = 3600 * 1000;
const MINUTE = 60 * 1000;

/*
 * The reference: with development licences "interactions disconnect hourly": a call on a server
 * whose loaded file is a development file is ended one hour after it opened, its call port
 * released and the cause recorded.
 */
describeEachDatabase('development licences disconnect calls hourly', (database) => {
  let h: Harness;

  beforeAll(async () => {
    h = await Harness.start({ database });
  });
  afterAll(() => h.close());

  const open = async (server: TestServer, callId: string) =>
    (
      await h.gql<{ openCall: { accepted: boolean; open: number; endCause: string | null } }>(
        OPEN,
        { s: server.id, c: callId },
        await h.machine(server.id),
      )
    ).openCall;
  const close = async (server: TestServer, callId: string) =>
    (
      await h.gql<{
        closeCall: { accepted: boolean; open: number; endCause: string | null; endedAt: string | null };
      }>(CLOSE, { s: server.id, c: callId }, await h.machine(server.id))
    ).closeCall;
  const ended = async (server: TestServer): Promise<EndedCall[]> =>
    (await h.gql<{ server: { endedCalls: EndedCall[] } }>(ENDED, { id: server.id })).server.endedCalls;
  const sweep = () => h.main.services.calls.sweepDevelopmentCalls();

  it('"interactions disconnect hourly": a call on a development-licensed server ends one hour after it opened, port released, cause recorded', async () => {
    const server = await h.serverWith({ [CALL_PORT_KEY]: 2 }, { licenseType: 'DEVELOPMENT_ORDERED_SMALL' });
    const openedAt = h.clock.now();
    expect((await open(server, 'first')).accepted).toBe(true);
    h.clock.advance(30 * MINUTE);
    expect((await open(server, 'second')).accepted).toBe(true);
    expect((await open(server, 'third')).accepted).toBe(false);

    h.clock.advance(29 * MINUTE);
    expect(await sweep()).toBe(0);
    h.clock.advance(1 * MINUTE);
    expect(await sweep()).toBe(1);
    // Sweeping again (another replica, the next tick) ends nothing twice.
    expect(await sweep()).toBe(0);

    expect((await h.statistic(server, CALL_PORT_KEY)).assignableInUse).toBe(1);
    expect(await ended(server)).toEqual([
      {
        callId: 'first',
        openedAt: openedAt.toISOString(),
        endedAt: new Date(openedAt.getTime() + HOUR).toISOString(),
        cause: 'DEVELOPMENT_HOURLY_DISCONNECT',
      },
    ]);
    // The freed port takes a new call.
    expect((await open(server, 'third')).accepted).toBe(true);

    // The server closing the call the platform ended is answered, not refused, and gives nothing back twice.
    const closed = await close(server, 'first');
    expect(closed).toEqual({
      accepted: false,
      open: 2,
      limit: 2,
      endCause: 'DEVELOPMENT_HOURLY_DISCONNECT',
      endedAt: new Date(openedAt.getTime() + HOUR).toISOString(),
    });
    expect((await h.statistic(server, CALL_PORT_KEY)).assignableInUse).toBe(2);
    // An ordinary close says nothing about a cause.
    expect(await close(server, 'third')).toMatchObject({ open: 1, endCause: null, endedAt: null });
  });

  it('production servers keep their calls; a sweep late by hours ends each call at its hour', async () => {
    const production = await h.serverWith({ [CALL_PORT_KEY]: 2 });
    const development = await h.serverWith(
      { [CALL_PORT_KEY]: 2 },
      { licenseType: 'DEVELOPMENT_NON_ORDERED_LARGE' },
    );
    const openedAt = h.clock.now();
    await open(production, 'long');
    await open(development, 'long');
    h.clock.advance(5 * HOUR);
    // (The count includes calls other tests left open on development servers.)
    expect(await sweep()).toBeGreaterThanOrEqual(1);
    expect(await ended(development)).toHaveLength(1);
    expect(await ended(production)).toEqual([]);
    expect((await h.statistic(production, CALL_PORT_KEY)).assignableInUse).toBe(1);
    expect((await ended(development))[0]?.endedAt).toBe(new Date(openedAt.getTime() + HOUR).toISOString());
  });

  it('the disconnect is pushed live to supervisors watching the server', async () => {
    const server = await h.serverWith({ [CALL_PORT_KEY]: 1 }, { licenseType: 'DEVELOPMENT_ORDERED_LARGE' });
    await open(server, 'watched');
    const supervisor = await h.token(['SUPERVISOR'], { accountId: server.accountId });
    const client = wsClient(h.url, supervisor);
    try {
      const subscription = subscribe<StatisticsUpdate>(client, STATISTICS_SUBSCRIPTION, { id: server.id });
      const available = (n: number) =>
        subscription.received[n]?.data?.licenseStatisticsChanged.statistics.find(
          (s) => s.key === CALL_PORT_KEY,
        )?.available;
      await subscription.next(1);
      expect(available(0)).toBe(0);
      h.clock.advance(HOUR);
      expect(await sweep()).toBeGreaterThanOrEqual(1);
      await subscription.next(2);
      expect(available(1)).toBe(1);
      subscription.close();
    } finally {
      await client.dispose();
    }
  });
});

describe('the hourly disconnect across two allocation processes [mariadb]', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await Harness.start({ database: 'mariadb', instances: 2 });
  });
  afterAll(() => h.close());

  it('sweeps racing each other and the server closing the same calls end each call once, and give its port back once', async () => {
    const server = await h.serverWith({ [CALL_PORT_KEY]: 30 }, { licenseType: 'DEVELOPMENT_ORDERED_LARGE' });
    const token = await h.machine(server.id);
    const calls = Array.from({ length: 20 }, (_, i) => `call-${i}`);
    for (const c of calls) await h.gql(OPEN, { s: server.id, c }, token);
    h.clock.advance(30 * MINUTE);
    await h.gql(OPEN, { s: server.id, c: 'young' }, token);
    h.clock.advance(30 * MINUTE);

    const [first, second] = await Promise.all([
      h.instances[0]!.services.calls.sweepDevelopmentCalls(),
      h.instances[1]!.services.calls.sweepDevelopmentCalls(),
      ...calls.slice(0, 10).map((c, i) => h.gql(CLOSE, { s: server.id, c }, token, h.instances[i % 2]!.url)),
    ]);
    const closedByServer = 20 - ((first as number) + (second as number));
    const endedCalls = (await h.gql<{ server: { endedCalls: EndedCall[] } }>(ENDED, { id: server.id })).server
      .endedCalls;
    expect(endedCalls).toHaveLength(20 - closedByServer);
    expect(new Set(endedCalls.map((c) => c.callId)).size).toBe(endedCalls.length);
    // Only the call opened half an hour ago still holds a port.
    expect((await h.statistic(server, CALL_PORT_KEY)).assignableInUse).toBe(1);
  });
});
