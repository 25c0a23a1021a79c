import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Agent, request } from 'node:http';
import { createServer as createAllocation } from '@lic/allocation';
import { generateSigningKeyPair, graphqlData, signLicenseFile } from '@lic/shared';
import { testEnvironment, tokenFor } from '@lic/shared/testing';
import { median, percentile } from '../stats.js';
import { type Figure, type Scenario, type ScenarioContext, type ScenarioResult } from '../types.js';

const CLIENTS = 50;
const CLIENT = 'I3_ACCESS_CLIENT';
const TRACKER = 'I3_ACCESS_TRACKER';
/** Fewer Tracker licences than clients: every run contends for the pool, and the cap must hold. */
const TRACKER_LICENCES = 30;

const LOGON = `mutation($input: LogonInput!) { logon(input: $input) { session { id } acquired denied } }`;
const LOGOFF = `mutation($input: LogoffInput!) { logoff(input: $input) { ended } }`;
const STATS = `query($id: ID!) { licenseStatistics(serverId: $id) { key concurrentAllowed concurrentInUse peakInUse } }`;

interface Statistic {
  key: string;
  concurrentAllowed: number | null;
  concurrentInUse: number;
  peakInUse: number;
}

/** Scenario: logon+logoff cycles per second against the allocation subgraph on MariaDB. */
export const logonCyclesScenario: Scenario = {
  name: 'logon-cycles',
  description:
    `Logon+logoff cycles per second, ${CLIENTS} concurrent clients sending GraphQL straight to one allocation ` +
    'subgraph (started in-process with its own createServer, on a private MariaDB database prefix). Each client ' +
    `is a CONCURRENT user with client access and Tracker, logging on at its own station and off again; ${TRACKER_LICENCES} ` +
    `Tracker licences for ${CLIENTS} clients, so the pool is contended throughout. Oversubscription is checked ` +
    'while running (a reader samples the statistics) and after (the pool peak kept by the database, and every ' +
    'licence given back).',
  run: runLogonCycles,
};

/** A keep-alive HTTP POST (node:http: no dependency beyond Node, and cheap for the load generator). */
function post<T>(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  token: string,
  agent: Agent,
): Promise<T> {
  const body = JSON.stringify({ query, variables });
  return new Promise<T>((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          authorization: `Bearer ${token}`,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          try {
            const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
              data?: T;
              errors?: Array<{ message: string }>;
            };
            if (parsed.errors?.length) reject(new Error(parsed.errors[0]!.message));
            else resolve(parsed.data as T);
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function runLogonCycles(context: ScenarioContext): Promise<ScenarioResult> {
  const timing = context.quick ? { warmupMs: 500, runMs: 2000 } : { warmupMs: 3000, runMs: 15000 };
  const keys = generateSigningKeyPair();
  const env = testEnvironment({
    database: 'mariadb',
    env: {
      LICENSE_SIGNING_PRIVATE_KEY: keys.privateKeyPem,
      LICENSE_SIGNING_PUBLIC_KEY: keys.publicKeyPem,
      // The sweeper must not end sessions of a benchmark that sends no heartbeats.
      SESSION_LEASE_SECONDS: '3600',
    },
  });
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS + 5 });
  context.progress('starting the allocation subgraph on MariaDB', 0);
  const allocation = await createAllocation(env.config);
  try {
    const admin = await tokenFor(env.config, { roles: ['LICENSING_ADMIN'], sub: 'bench-admin' });
    const accountId = `bench-${randomUUID().slice(0, 8)}`;
    const name = 'bench-cic-1';
    const { registerServer } = await graphqlData<{ registerServer: { id: string } }>(
      allocation.url,
      `mutation($input: RegisterServerInput!) { registerServer(input: $input) { id } }`,
      { input: { accountId, installSiteId: 'bench-site', name } },
      admin,
    );
    const serverId = registerServer.id;
    const file = signLicenseFile(
      {
        fileId: `bench-${randomUUID().slice(0, 8)}`,
        accountId,
        installSiteId: 'bench-site',
        licenseModel: 'PERPETUAL',
        licenseType: 'PRODUCTION',
        product: 'PureConnect CIC',
        productVersion: '2020 R1',
        generatedAt: new Date(Date.now() - 86_400_000),
        expiresAt: new Date('2100-01-01T00:00:00.000Z'),
        machine: {
          hostId: '00-15-5D-00-00-01',
          machineName: name,
          systemType: 'Windows Server 2019',
          serverItem: 'Basic Server',
        },
        keys: [
          { key: `${CLIENT}_CONCURRENT`, quantity: CLIENTS },
          { key: `${TRACKER}_CONCURRENT`, quantity: TRACKER_LICENCES },
          { key: 'I3_LICENSE_BASIC_STATION', quantity: CLIENTS },
        ],
      },
      keys.privateKeyPem,
    );
    await graphqlData(
      allocation.url,
      `mutation($id: ID!, $c: String!) { loadLicenseFile(serverId: $id, content: $c) { id } }`,
      { id: serverId, c: file },
      admin,
    );
    context.progress(`creating ${CLIENTS} users and stations`, 0.05);
    const seats: Array<{ userId: string; stationId: string }> = [];
    for (let i = 0; i < CLIENTS; i += 1) {
      const user = await graphqlData<{ createCicUser: { id: string } }>(
        allocation.url,
        `mutation($input: CreateCicUserInput!) { createCicUser(input: $input) { id } }`,
        {
          input: {
            serverId,
            name: `agent-${i}`,
            allocationMethod: 'CONCURRENT',
            licenses: [CLIENT, TRACKER],
          },
        },
        admin,
      );
      const station = await graphqlData<{ createStation: { id: string } }>(
        allocation.url,
        `mutation($input: CreateStationInput!) { createStation(input: $input) { id } }`,
        { input: { serverId, name: `ws-${i}`, kind: 'WORKSTATION', licenses: ['I3_LICENSE_BASIC_STATION'] } },
        admin,
      );
      seats.push({ userId: user.createCicUser.id, stationId: station.createStation.id });
    }
    const token = await tokenFor(env.config, { roles: ['SERVER'], serverId, sub: 'bench-server' });

    // Every event gets its own occurredAt: replays are the one thing that must not happen here.
    let clock = Date.UTC(2024, 0, 1);
    const nextInstant = () => new Date((clock += 1)).toISOString();
    let errors = 0;
    let firstError: string | undefined;

    const run = async (durationMs: number, record: boolean) => {
      const latencies: number[] = [];
      let cycles = 0;
      let withTracker = 0;
      const deadline = performance.now() + durationMs;
      const started = performance.now();
      await Promise.all(
        seats.map(async ({ userId, stationId }) => {
          while (performance.now() < deadline) {
            const t0 = performance.now();
            try {
              const { logon } = await post<{ logon: { acquired: string[] } }>(
                allocation.url,
                LOGON,
                {
                  input: {
                    serverId,
                    userId,
                    stationId,
                    application: 'Interaction Connect',
                    occurredAt: nextInstant(),
                  },
                },
                token,
                agent,
              );
              await post(
                allocation.url,
                LOGOFF,
                {
                  input: { serverId, userId, application: 'Interaction Connect', occurredAt: nextInstant() },
                },
                token,
                agent,
              );
              if (logon.acquired.includes(`${TRACKER}_CONCURRENT`)) withTracker += 1;
              cycles += 1;
              if (record) latencies.push(performance.now() - t0);
            } catch (error) {
              errors += 1;
              firstError ??= error instanceof Error ? error.message : String(error);
            }
          }
        }),
      );
      return { cycles, withTracker, latencies, elapsedMs: performance.now() - started };
    };

    context.progress('warm-up', 0.1);
    await run(timing.warmupMs, false);

    // A dashboard reads the statistics while the clients run: no sample may show more in use than allowed.
    let sampling = true;
    let samples = 0;
    let overSeen = 0;
    const sampler = (async () => {
      while (sampling) {
        const { licenseStatistics } = await post<{ licenseStatistics: Statistic[] }>(
          allocation.url,
          STATS,
          { id: serverId },
          admin,
          agent,
        );
        for (const s of licenseStatistics)
          if (s.concurrentAllowed !== null && s.concurrentInUse > s.concurrentAllowed) overSeen += 1;
        samples += 1;
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    context.progress(`measuring for ${timing.runMs / 1000} s`, 0.2);
    const cpuBefore = process.cpuUsage();
    const measured = await run(timing.runMs, true);
    const cpu = process.cpuUsage(cpuBefore);
    const cpuPerCycleMs = (cpu.user + cpu.system) / 1000 / Math.max(1, measured.cycles);
    sampling = false;
    await sampler;

    context.progress('checking the pools', 0.95);
    const { licenseStatistics: after } = await post<{ licenseStatistics: Statistic[] }>(
      allocation.url,
      STATS,
      { id: serverId },
      admin,
      agent,
    );
    const tracker = after.find((s) => s.key === TRACKER);
    const client = after.find((s) => s.key === CLIENT);
    const peakOver =
      Math.max(0, (tracker?.peakInUse ?? 0) - TRACKER_LICENCES) +
      Math.max(0, (client?.peakInUse ?? 0) - CLIENTS);
    const leftInUse = (tracker?.concurrentInUse ?? 0) + (client?.concurrentInUse ?? 0);
    const oversubscription = overSeen + peakOver;
    const rate = (measured.cycles * 1000) / measured.elapsedMs;

    const figures: Figure[] = [
      {
        name: `logon+logoff, ${CLIENTS} clients`,
        value: rate,
        unit: 'cycles/s',
        target: '≥ 1000 cycles/s',
        met: rate >= 1000,
      },
      { name: 'cycle latency median (logon + logoff)', value: median(measured.latencies), unit: 'ms' },
      { name: 'cycle latency p99 (logon + logoff)', value: percentile(measured.latencies, 99), unit: 'ms' },
      {
        name: 'oversubscription (samples above the total, and pool peak above the total)',
        value: oversubscription,
        unit: 'occurrences',
        target: '= 0',
        met: oversubscription === 0,
      },
      {
        name: 'licences still in use after every client logged off',
        value: leftInUse,
        unit: 'licences',
        target: '= 0',
        met: leftInUse === 0,
      },
      { name: 'failed requests', value: errors, unit: 'requests', target: '= 0', met: errors === 0 },
      {
        name: 'CPU of this process per cycle (subgraph and load generator)',
        value: cpuPerCycleMs,
        unit: 'ms',
      },
      {
        name: 'of which in the kernel (sockets to MariaDB and between client and subgraph)',
        value: cpu.system / 1000 / Math.max(1, measured.cycles),
        unit: 'ms',
      },
    ];
    const notes = [
      `${measured.cycles} cycles in ${(measured.elapsedMs / 1000).toFixed(1)} s after a ${timing.warmupMs / 1000} s warm-up; ` +
        `${measured.withTracker} logons got a Tracker licence (${TRACKER_LICENCES} for ${CLIENTS} clients), the others were reported as denied.`,
      `Tracker pool peak ${tracker?.peakInUse ?? 0} of ${TRACKER_LICENCES}; ${samples} statistics samples taken during the run, ${overSeen} above a total.`,
      'Each logon and logoff is one transaction of about six statements: one unlocked read (server, user, station, ' +
        'pools), the session row, the user (written only if unchanged since the read), the outbox event, and a call ' +
        'that updates the pools conditionally and commits in the same round trip. The relay marks the events published.',
      'The subgraph is one Node process (one event loop) and shares the machine (2 cores) with MariaDB and this load ' +
        'generator; "CPU of this process per cycle" bounds what one subgraph process can serve (1000 / that figure).',
      ...(firstError ? [`First error: ${firstError}`] : []),
    ];
    return { scenario: logonCyclesScenario.name, figures, notes };
  } finally {
    await allocation.close().catch(() => undefined);
    agent.destroy();
    await env.cleanup();
  }
}
