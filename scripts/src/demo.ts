import { parseArgs } from 'node:util';
import { type Config, ConfigError, graphqlData, graphqlRequest, loadConfig, signToken } from '@lic/shared';
import {
  type EnforcementDemoHandle,
  type EnforcementDemoOptions,
  startEnforcementDemo,
} from './demo-enforcement.js';
import { DEMO_CLOUD_SERVER } from './seed-accounts.js';

/**
 * `npm run demo`: simulated people log on and off the demo servers through the gateway, so that
 * the dashboard moves. Occupancy follows a slow wave (about ten minutes a cycle) with some noise
 * and, at its crest, a few more people than there are seats, so denials show too. The first crest
 * comes within the first minute (people arrive several at a time while far from the wave), so a
 * short look at the dashboard already shows a full pool and refusals. Runs until stopped; on
 * Ctrl-C it logs everyone off and removes the users and stations it created.
 */

export interface DemoOptions {
  gatewayUrl: string;
  /** LICENSING_ADMIN token: finds the servers, creates and removes the simulated users. */
  adminToken: string;
  /** A token for a server's own reports (logon, logoff, heartbeat); default the admin token. */
  serverToken?: (serverId: string) => Promise<string>;
  /** Only these servers (ids or names); default every server with a licence loaded. */
  servers?: string[];
  /**
   * Simulated people per server, created by the demo. Default: the server's own (seeded) concurrent
   * users at its stations when it has some, else a fifth more than its concurrent seats (4 to 40).
   */
  usersPerServer?: number;
  /** Milliseconds between steps; default 1500. */
  intervalMs?: number;
  /** One wave of occupancy, in milliseconds; default ten minutes. */
  periodMs?: number;
  /** When the first crest comes (at most half a wave), in milliseconds; default 40 s. */
  firstCrestMs?: number;
  /**
   * The demo's virtual-cloud server (seeded demo-cloud-1, when it exists) checks in as a server
   * does; `stopCheckIns` (`--enforcement`) stops its check-ins so that it walks the stages.
   * Default: it checks in, if it exists.
   */
  enforcement?: EnforcementDemoOptions;
  random?: () => number;
  log?: (line: string) => void;
}

export interface DemoHandle {
  /** The servers being simulated. */
  servers: Array<{ id: string; name: string; users: number }>;
  /** The virtual-cloud server that checks in (or, with `--enforcement`, stops checking in). */
  enforcement: EnforcementDemoHandle | undefined;
  /** Logs everyone off and deletes the simulated users and stations. */
  stop(): Promise<void>;
}

interface Statistic {
  key: string;
  assignableAllowed: number | null;
  concurrentAllowed: number | null;
  available: number | null;
}

interface SimUser {
  id: string;
  stationId: string;
  name: string;
  application: string;
  loggedOn: boolean;
}

interface SimServer {
  id: string;
  name: string;
  token: string;
  seats: number;
  users: SimUser[];
  /** Users and stations the demo created (and removes when it stops); seeded ones stay. */
  createdUsers: string[];
  createdStations: string[];
}

interface Configured {
  cicUsers: Array<{ id: string; name: string; allocationMethod: string; loggedOn: boolean }>;
  stations: Array<{ id: string; kind: string; enabled: boolean }>;
}

/** Stations a person sits at (not fax machines, phones or dynamic remote numbers). */
const DESK_KINDS = ['WORKSTATION', 'MANAGED_WORKSTATION', 'REMOTE'];
/** Fewer seeded concurrent users than this and the demo brings its own. */
const MIN_SEEDED_USERS = 4;

const APPLICATIONS = ['Interaction Desktop', 'Interaction Connect', 'ICBM'];
const CLIENT_ACCESS = 'I3_ACCESS_CLIENT';
const BASIC_STATION = 'I3_LICENSE_BASIC_STATION';
const HEARTBEAT_MS = 60_000;
const DEFAULT_FIRST_CREST_MS = 40_000;

/**
 * How many of `users` should be logged on at `t`: a wave between a fifth and all of them, whose
 * first crest comes at `firstCrestMs` (at most half a wave; by default half a wave, from a trough).
 */
export function targetOccupancy(
  t: number,
  periodMs: number,
  users: number,
  firstCrestMs = periodMs / 2,
): number {
  const shift = periodMs / 2 - Math.min(Math.max(0, firstCrestMs), periodMs / 2);
  const wave = (1 - Math.cos((2 * Math.PI * ((t + shift) % periodMs)) / periodMs)) / 2;
  return Math.round(users * (0.2 + 0.8 * wave));
}

/** People who log on or off in one step: one near the wave, up to five when far from it. */
export function actionsPerStep(loggedOn: number, target: number): number {
  return Math.min(5, Math.max(1, Math.ceil(Math.abs(target - loggedOn) / 3)));
}

/** The next step: log someone on when below target, off when above, else a random swap. */
export function nextAction(
  loggedOn: number,
  users: number,
  target: number,
  random: () => number,
): 'logon' | 'logoff' {
  if (loggedOn === 0) return 'logon';
  if (loggedOn >= users) return 'logoff';
  if (loggedOn < target) return random() < 0.85 ? 'logon' : 'logoff';
  if (loggedOn > target) return random() < 0.85 ? 'logoff' : 'logon';
  return random() < 0.5 ? 'logon' : 'logoff';
}

const pick = <T>(items: readonly T[], random: () => number): T => items[Math.floor(random() * items.length)]!;

/** Licences a simulated person gets: every concurrent licence the server has (client access first). */
function userLicenses(stats: Statistic[]): string[] {
  const concurrent = stats
    .filter((s) => s.concurrentAllowed === null || s.concurrentAllowed > 0)
    .map((s) => s.key)
    .filter((k) => k !== BASIC_STATION);
  return [CLIENT_ACCESS, ...concurrent.filter((k) => k !== CLIENT_ACCESS)].slice(0, 4);
}

function seatsOf(stats: Statistic[]): number {
  const client = stats.find((s) => s.key === CLIENT_ACCESS);
  const allowed = client?.concurrentAllowed;
  if (allowed === null) return 20;
  if (allowed !== undefined && allowed > 0) return allowed;
  return Math.max(0, ...stats.map((s) => s.concurrentAllowed ?? 0));
}

export async function runDemo(options: DemoOptions): Promise<DemoHandle> {
  const { gatewayUrl, adminToken } = options;
  const random = options.random ?? Math.random;
  const log = options.log ?? ((line: string) => console.log(line));
  const intervalMs = options.intervalMs ?? 1500;
  const periodMs = options.periodMs ?? 10 * 60_000;
  const firstCrestMs = options.firstCrestMs ?? DEFAULT_FIRST_CREST_MS;
  const admin = <T>(query: string, variables: Record<string, unknown> = {}) =>
    graphqlData<T>(gatewayUrl, query, variables, adminToken);
  const runId = Date.now().toString(36).slice(-5);

  const { accounts } = await admin<{
    accounts: Array<{
      id: string;
      name: string;
      servers: Array<{ id: string; name: string; standby: boolean }>;
    }>;
  }>('{ accounts { id name servers { id name standby } } }');

  const enforcementName = options.enforcement?.server ?? DEMO_CLOUD_SERVER;
  const cloud = accounts
    .flatMap((a) => a.servers.map((s) => ({ ...s, accountId: a.id })))
    .find((s) => s.id === enforcementName || s.name === enforcementName);
  if (!cloud && options.enforcement?.stopCheckIns) {
    throw new Error(
      `No server ${enforcementName} for the enforcement demo: seed the demo data first (npm start seeds it; npm run seed)`,
    );
  }
  const enforcement = cloud
    ? await startEnforcementDemo({
        gatewayUrl,
        adminToken,
        ...(options.serverToken ? { serverToken: await options.serverToken(cloud.id) } : {}),
        server: cloud,
        demo: options.enforcement ?? { stopCheckIns: false },
        log,
      })
    : undefined;

  const candidates = accounts
    .flatMap((a) => a.servers)
    // The standby member of a switchover pair refuses logons; its active partner takes them.
    .filter((s) => !s.standby)
    .filter(
      (s) => !options.servers?.length || options.servers.includes(s.id) || options.servers.includes(s.name),
    );

  const servers: SimServer[] = [];
  const cleanup = async () => {
    for (const server of servers) {
      for (const user of server.users) {
        if (user.loggedOn) await logoff(server, user).catch(() => undefined);
      }
      for (const id of server.createdUsers) {
        await admin('mutation($id: ID!) { deleteCicUser(id: $id) }', { id }).catch(() => undefined);
      }
      for (const id of server.createdStations) {
        await admin('mutation($id: ID!) { deleteStation(id: $id) }', { id }).catch(() => undefined);
      }
    }
  };

  const report = async (server: SimServer, query: string, variables: Record<string, unknown>) => {
    const result = await graphqlRequest<Record<string, unknown>>(gatewayUrl, query, variables, server.token);
    const error = result.errors?.[0];
    if (error) throw new Error(`${String(error.extensions?.['code'] ?? 'ERROR')}: ${error.message}`);
    return result.data ?? {};
  };
  const logon = (server: SimServer, user: SimUser) =>
    report(server, 'mutation($input: LogonInput!) { logon(input: $input) { acquired denied warnings } }', {
      input: {
        serverId: server.id,
        userId: user.id,
        stationId: user.stationId,
        application: user.application,
      },
    });
  const logoff = (server: SimServer, user: SimUser) =>
    report(server, 'mutation($input: LogoffInput!) { logoff(input: $input) { __typename } }', {
      input: { serverId: server.id, userId: user.id, application: user.application },
    });

  try {
    for (const candidate of candidates) {
      const { licenseStatistics: stats } = await admin<{ licenseStatistics: Statistic[] }>(
        'query($id: ID!) { licenseStatistics(serverId: $id) { key assignableAllowed concurrentAllowed available } }',
        { id: candidate.id },
      );
      const seats = seatsOf(stats);
      if (stats.length === 0 || seats === 0) {
        log(`  ${candidate.name}: no concurrent licences loaded, skipped`);
        continue;
      }
      const server: SimServer = {
        id: candidate.id,
        name: candidate.name,
        token: options.serverToken ? await options.serverToken(candidate.id) : adminToken,
        seats,
        users: [],
        createdUsers: [],
        createdStations: [],
      };
      servers.push(server);
      const configured =
        options.usersPerServer === undefined
          ? await admin<Configured>(
              `query($id: ID!) {
                cicUsers(serverId: $id) { id name allocationMethod loggedOn }
                stations(serverId: $id) { id kind enabled }
              }`,
              { id: candidate.id },
            ).catch(() => undefined)
          : undefined;
      const seededUsers = (configured?.cicUsers ?? []).filter(
        (u) => u.allocationMethod === 'CONCURRENT' && !u.loggedOn,
      );
      const desks = (configured?.stations ?? []).filter((st) => st.enabled && DESK_KINDS.includes(st.kind));
      // The server's own people only when there are more of them (at desks) than seats: else the
      // crest would never be refused.
      const seededCount = Math.min(40, seededUsers.length, desks.length);
      if (seededCount >= MIN_SEEDED_USERS && seededCount > seats) {
        // The server's own people, one desk each.
        for (const [i, user] of seededUsers.slice(0, Math.min(40, desks.length)).entries()) {
          server.users.push({
            id: user.id,
            stationId: desks[i]!.id,
            name: user.name,
            application: pick(APPLICATIONS, random),
            loggedOn: false,
          });
        }
        log(`  ${server.name}: ${server.users.length} of its own concurrent users for ${seats} seats`);
        continue;
      }
      const count = options.usersPerServer ?? Math.min(40, Math.max(4, Math.ceil(seats * 1.2)));
      const licenses = userLicenses(stats);
      let stationLicences = stats.find((s) => s.key === BASIC_STATION)?.available ?? 0;
      for (let i = 1; i <= count; i++) {
        const name = `demo-${runId}-${String(i).padStart(2, '0')}`;
        // Stations take a Basic Station licence while any is free; later ones go without (audio off).
        const withAudio = stationLicences > 0;
        if (withAudio) stationLicences--;
        const { createStation } = await admin<{ createStation: { id: string } }>(
          'mutation($input: CreateStationInput!) { createStation(input: $input) { id } }',
          {
            input: {
              serverId: server.id,
              name: `${name}-desk`,
              kind: 'WORKSTATION',
              licenses: withAudio ? [BASIC_STATION] : [],
            },
          },
        );
        server.createdStations.push(createStation.id);
        const { createCicUser } = await admin<{ createCicUser: { id: string } }>(
          'mutation($input: CreateCicUserInput!) { createCicUser(input: $input) { id } }',
          { input: { serverId: server.id, name, allocationMethod: 'CONCURRENT', licenses } },
        );
        server.createdUsers.push(createCicUser.id);
        server.users.push({
          id: createCicUser.id,
          stationId: createStation.id,
          name,
          application: pick(APPLICATIONS, random),
          loggedOn: false,
        });
      }
      log(
        `  ${server.name}: ${count} simulated people for ${seats} concurrent seats (${licenses.join(', ')})`,
      );
    }
  } catch (error) {
    await cleanup();
    throw error;
  }
  if (servers.length === 0) {
    throw new Error(
      'No server has a licence file with concurrent licences loaded: load one (loadLicenseFile) or seed the demo data first',
    );
  }

  let stopped = false;
  const started = Date.now();
  const step = async () => {
    await enforcement
      ?.step()
      .catch((error: unknown) =>
        log(`${enforcement.name}: ${error instanceof Error ? error.message : String(error)}`),
      );
    for (const server of servers) {
      const target = targetOccupancy(Date.now() - started, periodMs, server.users.length, firstCrestMs);
      const actions = actionsPerStep(server.users.filter((u) => u.loggedOn).length, target);
      // A refusal ends the burst: the pool is full, the next step tries again.
      for (let i = 0; i < actions && !stopped; i++) if (!(await act(server, target))) break;
    }
  };
  /** One logon or logoff; false when it was refused, in full or in part. */
  const act = async (server: SimServer, target: number): Promise<boolean> => {
    const on = server.users.filter((u) => u.loggedOn);
    const action = nextAction(on.length, server.users.length, target, random);
    const user = pick(
      server.users.filter((u) => u.loggedOn === (action === 'logoff')),
      random,
    );
    try {
      if (action === 'logon') {
        const result = (await logon(server, user)) as { logon?: { denied?: string[] } };
        user.loggedOn = true;
        const denied = result.logon?.denied ?? [];
        log(`${server.name}: ${user.name} logged on${denied.length ? ` (denied ${denied.join(', ')})` : ''}`);
        return denied.length === 0;
      }
      await logoff(server, user);
      user.loggedOn = false;
      log(`${server.name}: ${user.name} logged off`);
      return true;
    } catch (error) {
      log(
        `${server.name}: ${user.name} ${action} refused: ${error instanceof Error ? error.message : String(error)}`,
      );
      return false;
    }
  };
  const heartbeat = async () => {
    for (const server of servers) {
      await report(server, 'mutation($id: ID!) { heartbeat(serverId: $id) }', { id: server.id }).catch(
        (error: unknown) => log(`${server.name}: heartbeat failed: ${String(error)}`),
      );
    }
  };

  let running: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(() => (stopped ? undefined : step()));
  }, intervalMs);
  const beat = setInterval(() => {
    running = running.then(() => (stopped ? undefined : heartbeat()));
  }, HEARTBEAT_MS);

  return {
    servers: servers.map((s) => ({ id: s.id, name: s.name, users: s.users.length })),
    enforcement,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      clearInterval(beat);
      await running;
      await cleanup();
    },
  };
}

function usage(): string {
  return [
    'usage: npm run demo -- [--gateway URL] [--token JWT] [--server ID_OR_NAME ...] [--users N] [--interval MS]',
    '  --gateway   the gateway GraphQL URL (default http://127.0.0.1:$GATEWAY_PORT/graphql)',
    '  --token     a LICENSING_ADMIN token (default: one signed with JWT_SECRET, development only)',
    '  --server    simulate only these servers (repeatable; default every licensed server)',
    '  --users     simulated people per server (default a fifth more than its seats)',
    '  --interval  milliseconds between steps (default 1500)',
    '  --enforcement       stop the check-ins of the virtual-cloud server demo-cloud-1 so that it walks',
    '                      stages 1 to 6 (in minutes when its account is in DEMO_ENFORCEMENT_ACCOUNT_IDS)',
    '  --enforcement-server NAME  another virtual-cloud server for --enforcement (name or id)',
    '  --resume-after S    with --enforcement: seconds at stage 6 before check-ins resume and the server',
    '                      returns to stage 1 (default 30; "never" keeps it at stage 6)',
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      gateway: { type: 'string' },
      token: { type: 'string' },
      server: { type: 'string', multiple: true },
      users: { type: 'string' },
      interval: { type: 'string' },
      enforcement: { type: 'boolean' },
      'enforcement-server': { type: 'string' },
      'resume-after': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(usage());
    return;
  }
  const config: Config = loadConfig();
  const gatewayUrl = values.gateway ?? `http://127.0.0.1:${config.ports.gateway}/graphql`;
  if (!values.token && !config.jwt.secret) {
    throw new Error(
      `No JWT_SECRET to sign a demo token with: pass --token <LICENSING_ADMIN JWT>\n${usage()}`,
    );
  }
  const adminToken =
    values.token ?? (await signToken(config, { sub: 'demo-simulator', roles: ['LICENSING_ADMIN'] }, 86400));
  const serverToken =
    values.token || !config.jwt.secret
      ? undefined
      : (serverId: string) =>
          signToken(config, { sub: `demo-server-${serverId}`, roles: ['SERVER'], serverId }, 86400);
  const positive = (raw: string | undefined, name: string) => {
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!Number.isInteger(n) || n <= 0)
      throw new Error(`--${name} must be a positive whole number\n${usage()}`);
    return n;
  };
  const usersPerServer = positive(values.users, 'users');
  const intervalMs = positive(values.interval, 'interval');
  const resumeAfter = values['resume-after'];
  if (resumeAfter !== undefined && resumeAfter !== 'never' && !/^\d{1,6}$/.test(resumeAfter)) {
    throw new Error(`--resume-after must be a whole number of seconds or "never"\n${usage()}`);
  }
  if ((resumeAfter !== undefined || values['enforcement-server']) && !values.enforcement) {
    throw new Error(`--resume-after and --enforcement-server go with --enforcement\n${usage()}`);
  }
  const enforcement: EnforcementDemoOptions = {
    stopCheckIns: values.enforcement ?? false,
    ...(values['enforcement-server'] ? { server: values['enforcement-server'] } : {}),
    ...(resumeAfter === undefined
      ? {}
      : { resumeAfterMs: resumeAfter === 'never' ? null : Number(resumeAfter) * 1000 }),
  };

  console.log(`Demo traffic through ${gatewayUrl}`);
  const demo = await runDemo({
    gatewayUrl,
    adminToken,
    ...(serverToken ? { serverToken } : {}),
    ...(values.server?.length ? { servers: values.server } : {}),
    ...(usersPerServer ? { usersPerServer } : {}),
    ...(intervalMs ? { intervalMs } : {}),
    enforcement,
  });
  console.log(
    `Simulating ${demo.servers.map((s) => s.name).join(', ')}. Open the dashboard and watch; Ctrl-C stops and cleans up.`,
  );
  const stop = async () => {
    console.log('Stopping: logging everyone off and removing the simulated users…');
    await demo.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof ConfigError || error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
