import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { generateSigningKeyPair, graphqlData, signToken, type SigningKeyPair } from '@lic/shared';
import { type SeedApi, freePort, seed } from '@lic/testing';
import { sleep, until } from './infra.js';
import { TcpProxy } from './proxy.js';

export const REPO_ROOT = join(__dirname, '..', '..');
const SERVICE_SCRIPT = join(REPO_ROOT, 'scripts', 'dist', 'service.js');
export const CLIENT_KEY = 'I3_ACCESS_CLIENT';
export const STATION_KEY = 'I3_LICENSE_BASIC_STATION';

export type ServiceName =
  'accounts' | 'allocation-1' | 'allocation-2' | 'billing' | 'enforcement' | 'gateway';
export const SERVICES: readonly ServiceName[] = [
  'accounts',
  'allocation-1',
  'allocation-2',
  'billing',
  'enforcement',
  'gateway',
];

/**
 * A process's output, the last `keep` characters kept, with an offset that counts every character
 * ever written: "seen since the mark" stays true once the kept tail is full (a replica that has
 * logged more than `keep` characters before its restart still shows its new ready line).
 */
export class OutputTail {
  private text = '';
  /** Characters written before the first one kept. */
  private dropped = 0;

  constructor(private readonly keep = 50_000) {}

  append(chunk: string): void {
    this.text += chunk;
    const excess = this.text.length - this.keep;
    if (excess > 0) {
      this.text = this.text.slice(excess);
      this.dropped += excess;
    }
  }

  /** The offset of the next character to be written. */
  mark(): number {
    return this.dropped + this.text.length;
  }

  /** Whether `pattern` appears in what was written from `mark` on (as far as it is still kept). */
  seenSince(mark: number, pattern: RegExp): boolean {
    return pattern.test(this.text.slice(Math.max(0, mark - this.dropped)));
  }

  tail(chars: number): string {
    return this.text.slice(-chars);
  }
}

/** One process of the platform (`node scripts/dist/service.js <name>`), which the suite may kill and start again. */
export class ServiceProcess {
  private child: ChildProcess | undefined;
  private readonly out = new OutputTail();
  /** Each exit the suite did not cause, with its code or signal. */
  readonly unexpectedExits: string[] = [];
  private expectingExit = false;

  constructor(
    readonly name: ServiceName,
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {}

  get pid(): number | undefined {
    return this.child?.exitCode === null && this.child.signalCode === null ? this.child.pid : undefined;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  logTail(chars = 3000): string {
    return this.out.tail(chars);
  }

  async start(timeoutMs = 60_000): Promise<number> {
    const started = Date.now();
    const service = this.name.startsWith('allocation') ? 'allocation' : this.name;
    const child = spawn(process.execPath, [SERVICE_SCRIPT, service], {
      cwd: REPO_ROOT,
      env: { PATH: process.env['PATH'] ?? '', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.expectingExit = false;
    const mark = this.out.mark();
    const append = (chunk: Buffer) => this.out.append(chunk.toString());
    child.stdout?.on('data', append);
    child.stderr?.on('data', append);
    child.once('exit', (code, signal) => {
      if (!this.expectingExit) this.unexpectedExits.push(`${this.name} exited (${code ?? signal})`);
    });
    const ok = await until(async () => this.out.seenSince(mark, /"msg":"ready"/), timeoutMs, 100);
    if (ok === undefined || child.exitCode !== null)
      throw new Error(`${this.name} did not start within ${timeoutMs} ms:\n${this.logTail()}`);
    return Date.now() - started;
  }

  /** kill -9: no chance to finish anything. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  /** SIGTERM, as an orchestrator stops a process; the time until it exited, and its exit code. */
  async terminate(timeoutMs = 30_000): Promise<{ ms: number; code: number | string | null }> {
    const started = Date.now();
    const code = await this.signal('SIGTERM', timeoutMs);
    return { ms: Date.now() - started, code };
  }

  private async signal(signal: NodeJS.Signals, timeoutMs = 30_000): Promise<number | string | null> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return null;
    this.expectingExit = true;
    const exited = new Promise<number | string | null>((r) =>
      child.once('exit', (code, sig) => r(code ?? sig)),
    );
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const result = await exited;
    clearTimeout(timer);
    return result;
  }
}

export interface Fixture {
  accountId: string;
  installSiteId: string;
  serverId: string;
  seats: Array<{ userId: string; stationId: string }>;
  /** Licences of each kind in the server's file: fewer than the clients, so the pool is contended. */
  total: number;
}

export interface Platform {
  services: Map<ServiceName, ServiceProcess>;
  proxy: TcpProxy;
  gatewayUrl: string;
  tokens: { admin: string; server: string; supervisor: string };
  fixture: Fixture;
  databasePrefix: string;
  metricsToken: string;
  keys: SigningKeyPair;
  /** The key usage files are sealed with (USAGE_FILE_KEY). */
  usageFileKey: string;
  /** Registers a server and loads a file on it; returns its id. */
  addServer(
    name: string,
    file: { keys: Array<{ key: string; quantity: number }>; rampDate?: Date },
  ): Promise<string>;
  close(): Promise<void>;
}

export interface PlatformOptions {
  dataDir: string;
  redisUrl: string;
  databaseUrl: string;
  seats: number;
  total: number;
  progress(message: string): void;
}

export async function startPlatform(options: PlatformOptions): Promise<Platform> {
  if (!existsSync(SERVICE_SCRIPT))
    throw new Error(`${SERVICE_SCRIPT} is missing: run \`npm run build\` first`);
  const runId = randomUUID().slice(0, 8);
  const databasePrefix = `licfaults_${runId}`;
  const jwtSecret = `faults-${randomUUID()}-secret-of-enough-length`;
  const metricsToken = `faults-metrics-${randomUUID()}`;
  const keys = generateSigningKeyPair();
  const usageFileKey = randomBytes(32).toString('hex');
  const ports = {
    accounts: await freePort(),
    'allocation-1': await freePort(),
    'allocation-2': await freePort(),
    billing: await freePort(),
    enforcement: await freePort(),
    gateway: await freePort(),
  } satisfies Record<ServiceName, number>;
  const proxy = new TcpProxy([
    { host: '127.0.0.1', port: ports['allocation-1'] },
    { host: '127.0.0.1', port: ports['allocation-2'] },
  ]);
  const proxyPort = await proxy.listen();
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    DATA_DIR: options.dataDir,
    DATABASE_URL: options.databaseUrl,
    DATABASE_PREFIX: databasePrefix,
    REDIS_URL: options.redisUrl,
    REDIS_KEY_PREFIX: `licfaults${runId}:`,
    JWT_SECRET: jwtSecret,
    SUBGRAPH_SECRET: `faults-subgraph-${randomUUID()}-secret`,
    METRICS_TOKEN: metricsToken,
    USAGE_FILE_KEY: usageFileKey,
    LICENSE_SIGNING_PRIVATE_KEY: keys.privateKeyPem,
    LICENSE_SIGNING_PUBLIC_KEY: keys.publicKeyPem,
    SESSION_LEASE_SECONDS: '3600',
    SEED_DEMO_DATA: 'false',
    OUTBOX_POLL_MS: '200',
    USAGE_DERIVE_DELAY_MS: '500',
    // The suite's clients all come from one address and one principal: the limits are not under test.
    RATE_LIMIT_PRINCIPAL_REQUESTS: '0',
    RATE_LIMIT_ADDRESS_REQUESTS: '0',
    GATEWAY_PORT: String(ports.gateway),
    ACCOUNTS_PORT: String(ports.accounts),
    BILLING_PORT: String(ports.billing),
    ENFORCEMENT_PORT: String(ports.enforcement),
    ACCOUNTS_URL: `http://127.0.0.1:${ports.accounts}/graphql`,
    ALLOCATION_URL: `http://127.0.0.1:${proxyPort}/graphql`,
    BILLING_URL: `http://127.0.0.1:${ports.billing}/graphql`,
    ENFORCEMENT_URL: `http://127.0.0.1:${ports.enforcement}/graphql`,
  };
  const services = new Map<ServiceName, ServiceProcess>();
  for (const name of SERVICES) {
    const own: Record<string, string> = name.startsWith('allocation')
      ? { ALLOCATION_PORT: String(ports[name]) }
      : {};
    services.set(name, new ServiceProcess(name, ports[name], { ...env, ...own }));
  }
  const close = async () => {
    for (const name of [...SERVICES].reverse())
      await services
        .get(name)!
        .terminate(10_000)
        .catch(() => undefined);
    await proxy.close();
  };
  try {
    // The subgraphs together (replicas of one service run its migrations under a named lock),
    // then the gateway, which composes them.
    options.progress('starting accounts, two allocation replicas, billing and enforcement');
    await Promise.all(SERVICES.filter((n) => n !== 'gateway').map((n) => services.get(n)!.start(120_000)));
    options.progress('starting the gateway');
    await services.get('gateway')!.start();
    const gatewayUrl = `http://127.0.0.1:${ports.gateway}/graphql`;
    const jwt = {
      secret: jwtSecret,
      jwksUrl: undefined,
      issuer: 'licensing-platform',
      audience: 'licensing-platform',
    };
    const admin = await signToken(
      { jwt },
      { sub: 'faults-admin', roles: ['LICENSING_ADMIN'], certified: true },
      86_400,
    );
    options.progress('creating the account, a licensed server, users and stations');
    const api: SeedApi = (query, variables) => graphqlData(gatewayUrl, query, variables, admin);
    const account = await seed(api).account({
      name: 'Faults Ltd',
      garn: `GARN-${randomBytes(3).toString('hex')}`,
      siteless: true,
    });
    const { accountId, siteId: installSiteId } = account;
    const addServer: Platform['addServer'] = async (name, file) =>
      (
        await seed(api, { privateKeyPem: keys.privateKeyPem })
          .use(account)
          .server({ name })
          .file({
            licenseModel: file.rampDate ? 'SUBSCRIPTION' : 'PERPETUAL',
            generatedAt: new Date(Date.now() - 86_400_000 * 2),
            hostId: '00-15-5D-00-0B-01',
            ...(file.rampDate ? { rampDate: file.rampDate } : {}),
            keys: file.keys,
          })
      ).serverId;
    const serverId = await addServer('faults-cic-1', {
      keys: [
        { key: `${CLIENT_KEY}_CONCURRENT`, quantity: options.total },
        { key: STATION_KEY, quantity: options.seats + 5 },
      ],
    });
    const { seats } = await seed(api)
      .use({ serverId })
      .seats(options.seats, {
        userName: (i) => `faults-agent-${i}`,
        stationName: (i) => `faults-ws-${i}`,
        licenses: [CLIENT_KEY],
        stationLicenses: [STATION_KEY],
      });
    const server = await signToken(
      { jwt },
      { sub: 'faults-server', roles: ['SERVER'], serverId, accountId },
      86_400,
    );
    const supervisor = await signToken(
      { jwt },
      { sub: 'faults-supervisor', roles: ['SUPERVISOR'], accountId },
      86_400,
    );
    // Let the events of the set-up reach every consumer before the first fault.
    await sleep(1000);
    return {
      services,
      proxy,
      gatewayUrl,
      tokens: { admin, server, supervisor },
      fixture: { accountId, installSiteId, serverId, seats, total: options.total },
      databasePrefix,
      metricsToken,
      keys,
      usageFileKey,
      addServer,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
