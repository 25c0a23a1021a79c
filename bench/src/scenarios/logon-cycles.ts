import { performance } from 'node:perf_hooks';
import { Agent } from 'node:http';
import { median, percentile } from '../stats.js';
import { type Figure, type Scenario, type ScenarioContext, type ScenarioResult } from '../types.js';
import { createConnection } from 'mysql2/promise';
import { type BareProxy, startBareProxy } from './bare-proxy.js';
import { GraphqlConnection } from './keep-alive-client.js';
import { mariadbConnectionOptions } from '@lic/shared';
import {
  CLIENT_KEY,
  type GatewayPlatform,
  pidOf,
  post,
  processCpuMs,
  signAsGateway,
  startGatewayPlatform,
} from './gateway-platform.js';

const CLIENTS = 50;
/** Measured stretches per route; the rate reported is their median. */
const REPETITIONS = 3;
const TRACKER = 'I3_ACCESS_TRACKER';
/** Fewer Tracker licences than clients: every run contends for the pool, and the cap must hold. */
const TRACKER_LICENCES = 30;
/** Allocation processes on the one MariaDB database, as an operator scales the subgraph out. */
const ALLOCATION_REPLICAS = Number(process.env['BENCH_ALLOCATION_REPLICAS'] ?? 1);
const GATEWAY_REPLICAS = Number(process.env['BENCH_GATEWAY_REPLICAS'] ?? 1);
/** A third route, through a bare node:http proxy in the gateway's place (see bare-proxy.ts). */
const BARE_PROXY = process.env['BENCH_BARE_PROXY'] === '1';

const LOGON = `mutation($input: LogonInput!) { logon(input: $input) { session { id } acquired denied } }`;
const LOGOFF = `mutation($input: LogoffInput!) { logoff(input: $input) { ended } }`;
/** How often the oversubscription reader samples the statistics during a run. */
const SAMPLE_EVERY_MS = 100;
const STATS = `query($id: ID!) { licenseStatistics(serverId: $id) { key concurrentAllowed concurrentInUse peakInUse } }`;

interface Statistic {
  key: string;
  concurrentAllowed: number | null;
  concurrentInUse: number;
  peakInUse: number;
}

type Route = 'direct' | 'proxy' | 'gateway';
const ROUTE_LABEL: Record<Route, string> = {
  direct: 'straight to the allocation subgraph',
  proxy: 'through a bare node:http proxy',
  gateway: 'through our gateway',
};

/**
 * Issue 20's CPU targets, in ms, for the route through our gateway (the deployed shape): every
 * process together (the load generator included, as the issue counted it) per cycle, MariaDB and
 * allocation per cycle, the gateway per forwarded mutation and billing per session event consumed.
 */
const CPU_TARGETS = {
  all: 1.8,
  mariadb: 0.6,
  allocation: 0.5,
  gatewayPerMutation: 0.25,
  billingPerEvent: 0.05,
} as const;

/** A CPU figure's target, on the route the targets are set for. */
function upTo(route: Route, value: number, limit: number): Partial<Pick<Figure, 'target' | 'met'>> {
  return route === 'gateway' ? { target: `≤ ${limit} ms`, met: value <= limit } : {};
}

/** Scenario: logon+logoff cycles per second on MariaDB, straight to allocation and through the gateway. */
export const logonCyclesScenario: Scenario = {
  name: 'logon-cycles',
  description:
    `Logon+logoff cycles per second, ${CLIENTS} concurrent clients, on MariaDB, the platform in distributed mode ` +
    `(every service its own process, Redis for events and live updates, ${ALLOCATION_REPLICAS} allocation processes and ${GATEWAY_REPLICAS} gateway processes ` +
    'on the one database; gateway i forwards to allocation process i): first straight to the allocation subgraph (the clients spread over its processes), then ' +
    (BARE_PROXY
      ? 'through a bare node:http proxy (forwarding only: the floor under any gateway), then '
      : '') +
    'through our gateway. Each client is a CONCURRENT user with client access and Tracker, logging on at its own ' +
    `station and off again; ${TRACKER_LICENCES} Tracker licences for ${CLIENTS} clients, so the pool is contended ` +
    'throughout. Oversubscription is checked while running (a reader samples the statistics ten times a second) and after (the pool ' +
    'peak kept by the database, and every licence given back).',
  run: runLogonCycles,
};

interface RouteResult {
  rate: number;
  figures: Figure[];
  notes: string[];
}

async function measureRoute(
  platform: GatewayPlatform,
  proxies: readonly BareProxy[],
  route: Route,
  context: ScenarioContext,
  nextInstant: () => string,
  progress: (message: string, fraction: number) => void,
): Promise<RouteResult> {
  const timing = context.quick ? { warmupMs: 500, runMs: 2000 } : { warmupMs: 3000, runMs: 15000 };
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS + 5 });
  const { serverId, seats } = platform.fixture;
  const { admin, server: token } = platform.tokens;
  const urls = {
    direct: platform.allocationUrls,
    proxy: proxies.map((proxy) => proxy.url),
    gateway: platform.gatewayUrls,
  }[route];
  let errors = 0;
  let firstError: string | undefined;
  // One connection per client, as wrk or autocannon would hold them; only a request that reaches
  // the subgraph as it is sent is signed (the gateway signs what it forwards, a client of the
  // gateway does not; the bare proxy passes the client's headers on).
  const connections = seats.map(
    (_, index) =>
      new GraphqlConnection(urls[index % urls.length]!, route === 'gateway' ? undefined : signAsGateway),
  );
  try {
    const run = async (durationMs: number, record: boolean) => {
      const latencies: number[] = [];
      let cycles = 0;
      let withTracker = 0;
      const deadline = performance.now() + durationMs;
      const started = performance.now();
      await Promise.all(
        seats.map(async ({ userId, stationId }, index) => {
          const connection = connections[index]!;
          while (performance.now() < deadline) {
            const t0 = performance.now();
            try {
              const { logon } = await connection.post<{ logon: { acquired: string[] } }>(
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
              );
              await connection.post(
                LOGOFF,
                {
                  input: { serverId, userId, application: 'Interaction Connect', occurredAt: nextInstant() },
                },
                token,
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

    progress(`${ROUTE_LABEL[route]}: warm-up`, 0);
    await run(timing.warmupMs, false);

    // A dashboard reads the statistics while the clients run: no sample may show more in use than
    // allowed. Ten reads a second: each costs allocation and MariaDB a request and two SELECTs, and
    // what the monitor costs is not what a cycle costs (at one read every 20 ms it sent about a tenth
    // of allocation's statements; the pool's peak, kept by the database, checks the rest).
    let sampling = true;
    let samples = 0;
    let overSeen = 0;
    const sampler = (async () => {
      while (sampling) {
        const { licenseStatistics } = await post<{ licenseStatistics: Statistic[] }>(
          agent,
          platform.allocationUrls[0]!,
          STATS,
          { id: serverId },
          admin,
        );
        for (const s of licenseStatistics)
          if (s.concurrentAllowed !== null && s.concurrentInUse > s.concurrentAllowed) overSeen += 1;
        samples += 1;
        await new Promise((r) => setTimeout(r, SAMPLE_EVERY_MS));
      }
    })();
    // Where a cycle's CPU goes: every process of the platform, the database and Redis included.
    const processes = new Map<string, number>();
    platform.allocationUrls.forEach((_, i) => {
      const name = i === 0 ? 'allocation' : `allocation-${i + 1}`;
      processes.set(name, platform.pid(name)!);
    });
    platform.gatewayUrls.forEach((_, i) => {
      const name = i === 0 ? 'gateway' : `gateway-${i + 1}`;
      processes.set(name, platform.pid(name)!);
    });
    if (route === 'proxy')
      proxies.forEach((proxy, i) => processes.set(i === 0 ? 'proxy' : `proxy-${i + 1}`, proxy.pid));
    for (const name of ['billing', 'enforcement', 'accounts']) processes.set(name, platform.pid(name)!);
    for (const [name, command] of [
      ['MariaDB', 'mariadbd'],
      ['Redis', 'redis-server'],
    ] as const) {
      const pid = pidOf(command) ?? (command === 'mariadbd' ? pidOf('mysqld') : undefined);
      if (pid) processes.set(name, pid);
    }
    const cpuOf = () => new Map([...processes].map(([name, pid]) => [name, processCpuMs(pid)] as const));
    const cpuBefore = cpuOf();
    const ownBefore = process.cpuUsage();
    const stretches: Array<Awaited<ReturnType<typeof run>>> = [];
    for (let r = 0; r < REPETITIONS; r += 1) {
      progress(`${ROUTE_LABEL[route]}: measuring ${r + 1}/${REPETITIONS}`, 0.2 + (0.7 * r) / REPETITIONS);
      stretches.push(await run(timing.runMs / REPETITIONS, true));
    }
    const measured = {
      cycles: stretches.reduce((sum, m) => sum + m.cycles, 0),
      withTracker: stretches.reduce((sum, m) => sum + m.withTracker, 0),
      latencies: stretches.flatMap((m) => m.latencies),
      elapsedMs: stretches.reduce((sum, m) => sum + m.elapsedMs, 0),
    };
    const rates = stretches.map((m) => (m.cycles * 1000) / m.elapsedMs);
    const own = process.cpuUsage(ownBefore);
    const cpuAfter = cpuOf();
    sampling = false;
    await sampler;

    const { licenseStatistics: after } = await post<{ licenseStatistics: Statistic[] }>(
      agent,
      platform.allocationUrls[0]!,
      STATS,
      { id: serverId },
      admin,
    );
    const tracker = after.find((s) => s.key === TRACKER);
    const client = after.find((s) => s.key === CLIENT_KEY);
    const peakOver =
      Math.max(0, (tracker?.peakInUse ?? 0) - TRACKER_LICENCES) +
      Math.max(0, (client?.peakInUse ?? 0) - (client?.concurrentAllowed ?? Number.POSITIVE_INFINITY));
    const leftInUse = (tracker?.concurrentInUse ?? 0) + (client?.concurrentInUse ?? 0);
    const oversubscription = overSeen + peakOver;
    const rate = median(rates);
    const perCycle = (ms: number) => ms / Math.max(1, measured.cycles);
    const cpuUsed = (name: string) => cpuAfter.get(name)! - cpuBefore.get(name)!;
    // Replicas of a kind (allocation-2, gateway-2) count with their kind.
    const kindOf = (name: string) => name.replace(/-\d+$/, '');
    const isGateway = (name: string) => kindOf(name) === 'gateway';
    const cpuOfKind = (kind: string) =>
      [...processes.keys()]
        .filter((name) => kindOf(name) === kind)
        .reduce((sum, name) => sum + cpuUsed(name), 0);
    const allocationCpu = cpuOfKind('allocation');
    const backlog = await billingBacklog(platform);
    const label = ROUTE_LABEL[route];
    const shown = [...processes.keys()].filter((name) => route === 'gateway' || !isGateway(name));
    const ownCpu = (own.user + own.system) / 1000;
    const allCpu = shown.reduce((sum, name) => sum + cpuUsed(name), 0) + ownCpu;

    const figures: Figure[] = [
      {
        name: `logon+logoff, ${CLIENTS} clients, ${label}`,
        value: rate,
        unit: 'cycles/s',
        target: '≥ 1000 cycles/s',
        met: rate >= 1000,
      },
      { name: `cycle latency median, ${label}`, value: median(measured.latencies), unit: 'ms' },
      { name: `cycle latency p99, ${label}`, value: percentile(measured.latencies, 99), unit: 'ms' },
      {
        name: `oversubscription, ${label} (samples above the total, and pool peak above the total)`,
        value: oversubscription,
        unit: 'occurrences',
        target: '= 0',
        met: oversubscription === 0,
      },
      {
        name: `licences still in use after every client logged off, ${label}`,
        value: leftInUse,
        unit: 'licences',
        target: '= 0',
        met: leftInUse === 0,
      },
      {
        name: `failed requests, ${label}`,
        value: errors,
        unit: 'requests',
        target: '= 0',
        met: errors === 0,
      },
      {
        name: `CPU per cycle, allocation, ${label}`,
        value: perCycle(allocationCpu),
        unit: 'ms',
        ...upTo(route, perCycle(allocationCpu), CPU_TARGETS.allocation),
      },
      ...[...new Set([...processes.keys()].map(kindOf))]
        .filter((kind) => kind !== 'allocation' && (route === 'gateway' || kind !== 'gateway'))
        .map((kind) => ({
          name: `CPU per cycle, ${kind}, ${label}`,
          value: perCycle(cpuOfKind(kind)),
          unit: 'ms',
          ...(kind === 'MariaDB' ? upTo(route, perCycle(cpuOfKind(kind)), CPU_TARGETS.mariadb) : {}),
        })),
      ...(route === 'direct'
        ? []
        : [
            {
              // A cycle is two forwarded mutations, logon and logoff.
              name: `CPU per forwarded mutation, ${route === 'gateway' ? 'gateway' : 'bare proxy'}, ${label}`,
              value: perCycle(cpuOfKind(route)) / 2,
              unit: 'ms',
              ...upTo(route, perCycle(cpuOfKind(route)) / 2, CPU_TARGETS.gatewayPerMutation),
            },
          ]),
      {
        // A cycle is two session events, started and ended.
        name: `CPU per session event consumed, billing, ${label}`,
        value: perCycle(cpuOfKind('billing')) / 2,
        unit: 'ms',
        ...upTo(route, perCycle(cpuOfKind('billing')) / 2, CPU_TARGETS.billingPerEvent),
      },
      {
        name: `CPU per cycle, load generator, ${label}`,
        value: perCycle(ownCpu),
        unit: 'ms',
      },
      {
        name: `CPU per cycle, the platform (every process but the load generator), ${label}`,
        value: perCycle(allCpu - ownCpu),
        unit: 'ms',
      },
      {
        name: `CPU per cycle, every process together, ${label}`,
        value: perCycle(allCpu),
        unit: 'ms',
        ...upTo(route, perCycle(allCpu), CPU_TARGETS.all),
      },
      ...(backlog
        ? [
            {
              name: `session events billing had still to apply when the clients stopped, ${label}`,
              value: backlog.pending,
              unit: 'events',
            },
            {
              name: `time billing took to apply them, ${label}`,
              value: backlog.catchUpMs,
              unit: 'ms',
            },
          ]
        : []),
    ];
    const notes = [
      `${label}: ${measured.cycles} cycles in ${(measured.elapsedMs / 1000).toFixed(1)} s ` +
        `(${REPETITIONS} stretches: ${rates.map((r) => Math.round(r)).join(', ')} cycles/s) after a ` +
        `${timing.warmupMs / 1000} s warm-up; ${measured.withTracker} logons got a Tracker licence ` +
        `(${TRACKER_LICENCES} for ${CLIENTS} clients), the others were reported as denied. Tracker pool peak ` +
        `${tracker?.peakInUse ?? 0} of ${TRACKER_LICENCES}; ${samples} statistics samples, ${overSeen} above a total.`,
      ...(firstError ? [`${label}, first error: ${firstError}`] : []),
    ];
    return { rate, figures, notes };
  } finally {
    agent.destroy();
    for (const connection of connections) connection.close();
  }
}

/**
 * How far billing is behind allocation's session events (the outbox rows it has not applied),
 * and how long it takes to catch up once the clients stop.
 */
async function billingBacklog(
  platform: GatewayPlatform,
): Promise<{ pending: number; catchUpMs: number } | undefined> {
  if (!platform.database) return undefined;
  const { url, prefix } = platform.database;
  const connection = await createConnection(mariadbConnectionOptions(url));
  try {
    const count = async (sql: string) => {
      const [rows] = await connection.query(sql);
      return Number((rows as Array<{ n: unknown }>)[0]?.n ?? 0);
    };
    const pending = async () =>
      (await count(
        `SELECT COUNT(*) AS n FROM \`${prefix}_allocation\`.outbox_event WHERE topic IN ('allocation.session-started', 'allocation.session-ended')`,
      )) - (await count(`SELECT COUNT(*) AS n FROM \`${prefix}_billing\`.usage_event`));
    const started = performance.now();
    const atStop = await pending();
    let left = atStop;
    while (left > 0 && performance.now() - started < 120_000) {
      await new Promise((r) => setTimeout(r, 250));
      left = await pending();
    }
    return { pending: atStop, catchUpMs: left > 0 ? Number.NaN : performance.now() - started };
  } finally {
    await connection.end();
  }
}

async function runLogonCycles(context: ScenarioContext): Promise<ScenarioResult> {
  context.progress('starting the platform on MariaDB', 0);
  const platform = await startGatewayPlatform({
    seats: CLIENTS,
    hive: false,
    allocationReplicas: ALLOCATION_REPLICAS,
    gatewayReplicas: GATEWAY_REPLICAS,
    extraLicences: [{ key: `${TRACKER}_CONCURRENT`, quantity: TRACKER_LICENCES }],
    userLicenses: [CLIENT_KEY, TRACKER],
    progress: (message) => context.progress(message, 0.02),
  });
  // Every event gets its own occurredAt: replays are the one thing that must not happen here.
  let clock = Date.UTC(2024, 0, 1);
  const nextInstant = () => new Date((clock += 1)).toISOString();
  const figures: Figure[] = [];
  const notes: string[] = [];
  const proxies: BareProxy[] = [];
  try {
    if (BARE_PROXY) for (const url of platform.allocationUrls) proxies.push(await startBareProxy(url));
    const routes: Route[] = BARE_PROXY ? ['direct', 'proxy', 'gateway'] : ['direct', 'gateway'];
    const rates = new Map<Route, number>();
    for (const [i, route] of routes.entries()) {
      const result = await measureRoute(platform, proxies, route, context, nextInstant, (message, fraction) =>
        context.progress(message, 0.05 + (0.9 * (i + fraction)) / routes.length),
      );
      figures.push(...result.figures);
      notes.push(...result.notes);
      rates.set(route, result.rate);
    }
    const direct = rates.get('direct');
    const gateway = rates.get('gateway');
    const proxy = rates.get('proxy');
    if (direct && proxy) {
      figures.push({
        name: 'logon+logoff through a bare node:http proxy ÷ straight to the allocation subgraph',
        value: proxy / direct,
        unit: '×',
      });
    }
    if (direct && gateway) {
      // What the gateway costs on the write path, as a ratio that a host's drifting speed leaves alone.
      figures.push({
        name: 'logon+logoff through our gateway ÷ straight to the allocation subgraph',
        value: gateway / direct,
        unit: '×',
      });
    }
  } finally {
    context.progress('stopping the platform', 0.99);
    await Promise.all(proxies.map((proxy) => proxy.close()));
    await platform.close();
  }
  notes.push(
    'On MariaDB the logons and logoffs arriving together share round trips: their reads (server, user, station, ' +
      'pools, without locks) go as one, and their writes as one transaction (group commit), each event after its ' +
      'own savepoint: the session row, the user (written only if unchanged since the read), the outbox event, the ' +
      'conditional pool updates, and a call that keeps the event or rolls it back to its savepoint. The relay ' +
      'publishes events in batches (at most every 50 ms while busy); billing applies them in batches. Through ' +
      'the gateway, the logon and logoff mutations are forwarded to allocation as they are (each is answered ' +
      'whole by one subgraph), without the query-plan executor.',
    `The rate is the median of ${REPETITIONS} measured stretches per route (the machine is shared, and its speed ` +
      'moves by tens of per cent over minutes); latencies and CPU are over all of them.',
    'Everything shares the machine\u2019s 2 cores: allocation, MariaDB, Redis, the other services (billing applies ' +
      'every session event as it comes) and this load generator. The CPU figures say where a cycle\u2019s time goes; ' +
      'their sum ("every process together") bounds the rate at about 2,000 ms of CPU a second divided by it. ' +
      'Compare absolute figures across runs only with the CPU gauge beside them (see Machine).',
  );
  return { scenario: logonCyclesScenario.name, figures, notes };
}
