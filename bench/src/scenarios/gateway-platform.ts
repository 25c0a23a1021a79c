import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { type Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import {
  GatewaySigner,
  dropMariadbDatabases,
  generateSigningKeyPair,
  graphqlData,
  signToken,
  type TokenClaims,
} from '@lic/shared';
import { type SeedApi, TEST_MARIADB_URL, TEST_REDIS_URL, freePort, seed } from '@lic/testing';
import { seedDemoData } from '@lic/scripts';
import { REPO_ROOT } from '../machine.js';

/**
 * The platform in distributed mode for the benchmarks: the four subgraphs, our gateway and (when
 * installed and wanted) Hive Gateway, each its own process (`scripts/dist/service.js NAME`, built
 * output), a MariaDB database per subgraph (or SQLite files) and Redis for the bus and live
 * updates. The load generator stays in the benchmark's process.
 */
export interface GatewayPlatform {
  subgraphUrls: Record<SubgraphName, string>;
  /** MariaDB: where the services' databases are (`<prefix>_<service>`); undefined on SQLite. */
  database: { url: string; prefix: string } | undefined;
  /** Every allocation process (the first is `subgraphUrls.allocation`), all on the same database. */
  allocationUrls: string[];
  gateway: { url: string; pid: number };
  /**
   * Every gateway process (the first is `gateway`); gateway i forwards allocation's operations to
   * allocation process i (modulo their number), so two of each make two independent lanes.
   */
  gatewayUrls: string[];
  /** Undefined when `node_modules/.bin/hive-gateway` is missing (see `hiveNote`). */
  hive: { url: string; pid: number } | undefined;
  hiveNote: string | undefined;
  tokens: { admin: string; supervisor: string; server: string };
  /** `Authorization` for the gateway's /metrics. */
  metricsAuthorization: string;
  fixture: {
    accountId: string;
    accountName: string;
    serverId: string;
    seats: Array<{ userId: string; stationId: string }>;
  };
  /** The last lines a process wrote (subgraph name, `allocation-2`…, `gateway` or `hive`): for failure notes. */
  logTail(name: string): string;
  /** The process id of a process (named as for logTail). */
  pid(name: string): number | undefined;
  /**
   * Stops our gateway (SIGKILL: a crash; SIGTERM: a graceful stop) and starts it again on the same
   * port; resolves when the new process logged `ready`, with that moment (epoch ms).
   */
  restartGateway(signal: 'SIGKILL' | 'SIGTERM'): Promise<{ stoppedAt: number; readyAt: number }>;
  /** A token of this platform's issuer (for clients other than the fixture's). */
  sign(claims: TokenClaims): Promise<string>;
  close(): Promise<void>;
}

type SubgraphName = 'accounts' | 'allocation' | 'billing' | 'enforcement';
const SUBGRAPHS: readonly SubgraphName[] = ['accounts', 'allocation', 'billing', 'enforcement'];
const SERVICE_SCRIPT = join(REPO_ROOT, 'scripts', 'dist', 'service.js');
const SUPERGRAPH = join(REPO_ROOT, 'gateway', 'supergraph.graphql');
const HIVE_BIN = join(REPO_ROOT, 'node_modules', '.bin', 'hive-gateway');
const JWT_SECRET = `bench-${randomUUID()}-secret-of-enough-length`;
/** Every service gets it; subgraphs answer only requests signed with it (the gateway's, or the bench's own). */
export const BENCH_SUBGRAPH_SECRET = `bench-subgraph-${randomUUID()}-secret`;
const BENCH_SIGNER = new GatewaySigner(BENCH_SUBGRAPH_SECRET);
/** The gateway runs in production mode, where /metrics answers only the holder of METRICS_TOKEN. */
const METRICS_TOKEN = `bench-metrics-${randomUUID()}`;
export const CLIENT_KEY = 'I3_ACCESS_CLIENT';
const MARIADB_SOCKET = '/run/mysqld/mysqld.sock';
/**
 * MariaDB runs on this machine, so the services reach it through its Unix socket, as an operator
 * would configure them on one host (BENCH_DATABASE_URL overrides; the tests use TCP).
 */
export const BENCH_DATABASE_URL =
  process.env['BENCH_DATABASE_URL'] ??
  (existsSync(MARIADB_SOCKET) ? `mysql://root@localhost/?socket=${MARIADB_SOCKET}` : TEST_MARIADB_URL);
const STATION_KEY = 'I3_LICENSE_BASIC_STATION';

/** CPU time (user + system) a process has used so far (Linux), in ms. */
export function processCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime are fields 14 and 15 of stat, in clock ticks (100 a second on Linux).
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * Waits until the given processes have been nearly idle (under `busyFraction` of a core each)
 * for a whole `windowMs`, or `maxMs` passed: the next measurement should not pay for the
 * previous one's teardown (thousands of subscriptions closing, garbage collection).
 */
export async function waitUntilQuiet(
  pids: ReadonlyArray<number | undefined>,
  options: { busyFraction?: number; windowMs?: number; maxMs?: number } = {},
): Promise<number> {
  const { busyFraction = 0.05, windowMs = 1000, maxMs = 60_000 } = options;
  const alive = pids.filter((pid): pid is number => pid !== undefined && existsSync(`/proc/${pid}`));
  const started = Date.now();
  while (Date.now() - started < maxMs) {
    const before = alive.map((pid) => processCpuMs(pid));
    await new Promise((r) => setTimeout(r, windowMs));
    const busiest = Math.max(0, ...alive.map((pid, i) => processCpuMs(pid) - before[i]!));
    if (busiest <= windowMs * busyFraction) break;
  }
  return Date.now() - started;
}

/** The process id of a program running on this machine (MariaDB, Redis), by its command name. */
export function pidOf(command: string): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === command) return Number(entry);
    } catch {
      // the process ended meanwhile
    }
  }
  return undefined;
}

/** Resident and peak memory of a process (Linux), in MB. */
export function processMemoryMb(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const read = (field: string) =>
    Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 'NaN') / 1024;
  return { rss: read('VmRSS'), peak: read('VmHWM') };
}

interface Child {
  process: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/**
 * `BENCH_CPU_PROFILE=allocation,gateway` writes V8 CPU profiles of those services' processes to
 * bench/results/profiles (open them in Chrome DevTools): where a scenario's time goes.
 */
function profiled(name: string, args: string[]): string[] {
  const wanted = (process.env['BENCH_CPU_PROFILE'] ?? '').split(',').map((n) => n.trim());
  if (!wanted.includes(name)) return args;
  return ['--cpu-prof', `--cpu-prof-dir=${join(REPO_ROOT, 'bench', 'results', 'profiles')}`, ...args];
}

/**
 * A service's command line exactly as `npm run start:<name>` runs it (node's flags included, for
 * example the gateway's heap settings), without npm in between.
 */
export function serviceArgs(name: string): string[] {
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const script = manifest.scripts[`start:${name}`];
  const words = script?.trim().split(/\s+/) ?? [];
  if (words[0] !== 'node' || !words.includes('scripts/dist/service.js'))
    throw new Error(`package.json's start:${name} is not \`node … scripts/dist/service.js ${name}\``);
  return profiled(
    name,
    words.slice(1).map((word) => (word === 'scripts/dist/service.js' ? SERVICE_SCRIPT : word)),
  );
}

async function startChild(
  args: string[],
  env: Record<string, string>,
  ready: RegExp | (() => Promise<boolean>),
  pollMs = 100,
): Promise<Child> {
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: 'pipe',
  });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out = (out + chunk.toString()).slice(-20_000)));
  child.stderr?.on('data', (chunk: Buffer) => (out = (out + chunk.toString()).slice(-20_000)));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode}:\n${out}`);
    const ok = ready instanceof RegExp ? ready.test(out) : await ready();
    if (ok) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${args.join(' ')} not ready within 60 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
  return { process: child, output: () => out, stop };
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(1000) })).ok;
  } catch {
    return false;
  }
}

/** Our signer as built (CommonJS), loaded by Hive Gateway's configuration: one canonical form, never copied. */
const SIGNATURE_MODULE = join(REPO_ROOT, 'shared', 'dist', 'http', 'gateway-signature.js');

/**
 * Hive Gateway's configuration: tokens forwarded over HTTP and into the subgraphs' graphql-ws
 * connectionParams, and each HTTP subgraph request signed as our gateway signs it (our own
 * GatewaySigner, in an onFetch hook: the same HMAC over the same canonical text, request id and
 * client address included when Hive sends them), since subgraphs answer nothing unsigned. Its
 * graphql-ws connections to subgraphs cannot be signed from this configuration:
 * subscription-fanout leaves Hive out.
 */
export const hiveConfig = (secret: string) => `import { createRequire } from 'node:module';
const { GatewaySigner } = createRequire(import.meta.url)(${JSON.stringify(SIGNATURE_MODULE)});
const signer = new GatewaySigner(${JSON.stringify(secret)});
const header = (headers, name) => {
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value;
  return undefined;
};
export const gatewayConfig = {
  logging: 'error',
  plugins: () => [
    {
      onFetch({ url, options, setOptions }) {
        const headers = { ...(options.headers ?? {}) };
        const { pathname, search } = new URL(url);
        headers['x-gateway-signature'] = signer.sign({
          method: options.method ?? 'GET',
          path: pathname + search,
          authorization: header(headers, 'authorization'),
          body: typeof options.body === 'string' ? options.body : undefined,
          requestId: header(headers, 'x-request-id'),
          clientAddress: header(headers, 'x-client-address'),
        });
        setOptions({ ...options, headers });
      },
    },
  ],
  maskedErrors: true,
  propagateHeaders: {
    fromClientToSubgraphs({ request, context }) {
      const authorization = request?.headers?.get('authorization') ?? context?.connectionParams?.authorization;
      return authorization ? { authorization } : {};
    },
  },
  transportEntries: {
    '*.http': {
      options: {
        subscriptions: {
          kind: 'ws',
          location: '/graphql',
          options: { connectionParams: { authorization: '{context.connectionParams.authorization}' } },
        },
      },
    },
  },
};
`;

/** Signs a request to a subgraph as the gateway does (what a load generator sending straight to a subgraph adds). */
export const signAsGateway = (request: { path: string; authorization: string; body: string }) =>
  BENCH_SIGNER.headers({ method: 'POST', ...request });

/**
 * A keep-alive HTTP POST of one GraphQL operation (node:http keeps the load generator cheap),
 * signed as the gateway signs, so that it also reaches a subgraph directly (the gateways ignore it).
 */
export function post<T>(
  agent: Agent,
  url: string,
  query: string,
  variables: Record<string, unknown>,
  token: string,
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
          ...BENCH_SIGNER.headers({
            method: 'POST',
            path: `${new URL(url).pathname}${new URL(url).search}`,
            authorization: `Bearer ${token}`,
            body,
          }),
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

export interface PlatformOptions {
  seats: number;
  progress(message: string): void;
  /** MariaDB (the deployed shape, default) or a SQLite file per subgraph. */
  database?: 'mariadb' | 'sqlite';
  /** Start Hive Gateway too (default: when installed). */
  hive?: boolean;
  /** Allocation processes on the one database (default 1). */
  allocationReplicas?: number;
  /** Gateway processes (default 1); gateway i sends allocation's operations to allocation process i. */
  gatewayReplicas?: number;
  /** Concurrent licences of the benchmark server beyond client access and Basic Station (seats + 10 each). */
  extraLicences?: Array<{ key: string; quantity: number }>;
  /** The seats' users' licences (default: client access only). */
  userLicenses?: string[];
}

export async function startGatewayPlatform(options: PlatformOptions): Promise<GatewayPlatform> {
  const database = options.database ?? 'mariadb';
  if (!existsSync(SERVICE_SCRIPT))
    throw new Error(`${SERVICE_SCRIPT} is missing: run \`npm run build\` first`);
  const dataDir = mkdtempSync(join(tmpdir(), 'lic-bench-gw-'));
  const runId = randomUUID().slice(0, 8);
  const redisPrefix = `licbench${runId}:`;
  const databasePrefix = `licbench_${runId}`;
  const keys = generateSigningKeyPair();
  const children: Child[] = [];
  const named = new Map<string, Child>();
  const close = async () => {
    for (const child of children.reverse()) await child.stop().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
    if (database === 'mariadb')
      await dropMariadbDatabases(BENCH_DATABASE_URL, databasePrefix).catch(() => undefined);
    const redis = new Redis(TEST_REDIS_URL);
    try {
      const stale = await redis.keys(`${redisPrefix}*`);
      if (stale.length > 0) await redis.del(...stale);
    } finally {
      redis.disconnect();
    }
  };
  try {
    const ports = Object.fromEntries(
      await Promise.all(SUBGRAPHS.map(async (n) => [n, await freePort()] as const)),
    ) as Record<SubgraphName, number>;
    const subgraphUrls = Object.fromEntries(
      SUBGRAPHS.map((n) => [n, `http://127.0.0.1:${ports[n]}/graphql`]),
    ) as Record<SubgraphName, string>;
    const gatewayPort = await freePort();
    const env: Record<string, string> = {
      // Production mode, as deployed (and as Hive Gateway runs): no introspection, no dev helpers.
      NODE_ENV: 'production',
      USAGE_FILE_KEY: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'error',
      DATA_DIR: dataDir,
      ...(database === 'mariadb'
        ? { DATABASE_URL: BENCH_DATABASE_URL, DATABASE_PREFIX: databasePrefix }
        : {}),
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: redisPrefix,
      JWT_SECRET,
      SUBGRAPH_SECRET: BENCH_SUBGRAPH_SECRET,
      METRICS_TOKEN,
      LICENSE_SIGNING_PRIVATE_KEY: keys.privateKeyPem,
      LICENSE_SIGNING_PUBLIC_KEY: keys.publicKeyPem,
      SESSION_LEASE_SECONDS: '3600',
      SEED_DEMO_DATA: 'false',
      // BENCH_GATEWAY_FORWARDING=false measures the gateway with every operation through the executor.
      GATEWAY_FORWARDING: process.env['BENCH_GATEWAY_FORWARDING'] === 'false' ? 'false' : 'true',
      // BENCH_EVENT_BATCH_WAIT_MS measures billing's batches with another wait than the default.
      ...(process.env['BENCH_EVENT_BATCH_WAIT_MS'] !== undefined
        ? { EVENT_BATCH_WAIT_MS: process.env['BENCH_EVENT_BATCH_WAIT_MS'] }
        : {}),
      GATEWAY_PORT: String(gatewayPort),
      ACCOUNTS_PORT: String(ports.accounts),
      ALLOCATION_PORT: String(ports.allocation),
      BILLING_PORT: String(ports.billing),
      ENFORCEMENT_PORT: String(ports.enforcement),
      ACCOUNTS_URL: subgraphUrls.accounts,
      ALLOCATION_URL: subgraphUrls.allocation,
      BILLING_URL: subgraphUrls.billing,
      ENFORCEMENT_URL: subgraphUrls.enforcement,
    };
    for (const name of SUBGRAPHS) {
      options.progress(`starting the ${name} subgraph process`);
      const child = await startChild(serviceArgs(name), env, /"msg":"ready"/);
      children.push(child);
      named.set(name, child);
    }
    const allocationUrls = [subgraphUrls.allocation];
    for (let i = 1; i < (options.allocationReplicas ?? 1); i += 1) {
      options.progress(`starting allocation replica ${i + 1}`);
      const port = await freePort();
      const child = await startChild(
        serviceArgs('allocation'),
        { ...env, ALLOCATION_PORT: String(port) },
        /"msg":"ready"/,
      );
      children.push(child);
      named.set(`allocation-${i + 1}`, child);
      allocationUrls.push(`http://127.0.0.1:${port}/graphql`);
    }
    options.progress('starting our gateway process');
    let gatewayChild = await startChild(serviceArgs('gateway'), env, /"msg":"ready"/);
    children.push(gatewayChild);
    named.set('gateway', gatewayChild);
    const gatewayUrl = `http://127.0.0.1:${gatewayPort}/graphql`;
    const gatewayUrls = [gatewayUrl];
    for (let i = 1; i < (options.gatewayReplicas ?? 1); i += 1) {
      options.progress(`starting gateway replica ${i + 1}`);
      const port = await freePort();
      const child = await startChild(
        serviceArgs('gateway'),
        { ...env, GATEWAY_PORT: String(port), ALLOCATION_URL: allocationUrls[i % allocationUrls.length]! },
        /"msg":"ready"/,
      );
      children.push(child);
      named.set(`gateway-${i + 1}`, child);
      gatewayUrls.push(`http://127.0.0.1:${port}/graphql`);
    }

    let hive: GatewayPlatform['hive'];
    let hiveNote: string | undefined;
    if (options.hive === false) {
      hiveNote = undefined;
    } else if (existsSync(HIVE_BIN)) {
      options.progress('starting Hive Gateway');
      const hivePort = await freePort();
      let supergraph = readFileSync(SUPERGRAPH, 'utf8');
      for (const name of SUBGRAPHS) {
        supergraph = supergraph.replace(
          new RegExp(`(@join__graph\\(name: "${name}", url: )"[^"]*"`),
          `$1"${subgraphUrls[name]}"`,
        );
      }
      writeFileSync(join(dataDir, 'supergraph.graphql'), supergraph);
      writeFileSync(join(dataDir, 'gateway.config.mjs'), hiveConfig(BENCH_SUBGRAPH_SECRET));
      const hiveChild = await startChild(
        [
          realpathSync(HIVE_BIN),
          'supergraph',
          join(dataDir, 'supergraph.graphql'),
          '--config-path',
          join(dataDir, 'gateway.config.mjs'),
          '--host',
          '127.0.0.1',
          '--port',
          String(hivePort),
        ],
        { NODE_ENV: 'production' },
        () => answers(`http://127.0.0.1:${hivePort}/readiness`),
      );
      children.push(hiveChild);
      named.set('hive', hiveChild);
      hive = { url: `http://127.0.0.1:${hivePort}/graphql`, pid: hiveChild.process.pid! };
    } else {
      hiveNote =
        'Hive Gateway column skipped: node_modules/.bin/hive-gateway is not installed (npm install @graphql-hive/gateway).';
    }

    options.progress('seeding accounts, a licensed server, users and stations');
    const config = {
      jwt: {
        secret: JWT_SECRET,
        jwksUrl: undefined,
        issuer: 'licensing-platform',
        audience: 'licensing-platform',
      },
    };
    const admin = await signToken(config, {
      sub: 'bench-admin',
      roles: ['LICENSING_ADMIN'],
      certified: true,
    });
    const seeded = await seedDemoData(gatewayUrl, admin);
    // A server of the benchmark's own at a seeded account and install site.
    const seededServer = seeded.servers[0]!;
    const account = seeded.accounts.find((a) => a.id === seededServer.accountId)!;
    const { server: site } = await graphqlData<{ server: { installSiteId: string } }>(
      gatewayUrl,
      'query($id: ID!) { server(id: $id) { installSiteId } }',
      { id: seededServer.id },
      admin,
    );
    const api: SeedApi = (query, variables) => graphqlData(gatewayUrl, query, variables, admin);
    const made = await seed(api, { privateKeyPem: keys.privateKeyPem })
      .use({ accountId: account.id, siteId: site.installSiteId })
      .server({ name: 'bench-cic-1' })
      .file({
        hostId: '00-15-5D-00-0B-01',
        keys: [
          { key: `${CLIENT_KEY}_CONCURRENT`, quantity: options.seats + 10 },
          { key: STATION_KEY, quantity: options.seats + 10 },
          ...(options.extraLicences ?? []),
        ],
      })
      .seats(options.seats, {
        userName: (i) => `bench-agent-${i}`,
        stationName: (i) => `bench-ws-${i}`,
        licenses: options.userLicenses ?? [CLIENT_KEY],
        stationLicenses: [STATION_KEY],
      });
    const server = { id: made.serverId, name: made.serverName };
    const seats: GatewayPlatform['fixture']['seats'] = made.seats;
    return {
      subgraphUrls,
      database: database === 'mariadb' ? { url: BENCH_DATABASE_URL, prefix: databasePrefix } : undefined,
      allocationUrls,
      gateway: { url: gatewayUrl, pid: gatewayChild.process.pid! },
      gatewayUrls,
      hive,
      hiveNote,
      metricsAuthorization: `Bearer ${METRICS_TOKEN}`,
      tokens: {
        admin,
        supervisor: await signToken(config, {
          sub: 'bench-supervisor',
          roles: ['SUPERVISOR'],
          accountId: account.id,
        }),
        server: await signToken(config, {
          sub: 'bench-server',
          roles: ['SERVER'],
          serverId: server.id,
          accountId: account.id,
        }),
      },
      fixture: { accountId: account.id, accountName: account.name, serverId: server.id, seats },
      logTail: (name) => named.get(name)?.output().slice(-2000) ?? '',
      pid: (name) => named.get(name)?.process.pid,
      restartGateway: async (signal) => {
        const old = gatewayChild;
        const exited = new Promise<void>((r) => old.process.once('exit', () => r()));
        old.process.kill(signal);
        const killer = setTimeout(() => old.process.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(killer);
        const stoppedAt = Date.now();
        gatewayChild = await startChild(serviceArgs('gateway'), env, /"msg":"ready"/, 10);
        const readyAt = Date.now();
        children.splice(children.indexOf(old), 1, gatewayChild);
        named.set('gateway', gatewayChild);
        return { stoppedAt, readyAt };
      },
      sign: (claims) => signToken(config, claims),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
