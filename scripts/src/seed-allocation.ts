import { type GatewaySigner, graphqlData } from '@lic/shared';

export interface SeedAllocationInput {
  /** `people: false`: only the file is loaded, no users or stations are created (default true). */
  servers: Array<{ id: string; licenseFileContent?: string; people?: boolean }>;
}

export interface SeededAllocation {
  servers: Array<{ id: string; licenseLoaded: boolean; users: number; stations: number; skipped: boolean }>;
}

const LOAD = `mutation($id: ID!, $content: String!) { loadLicenseFile(serverId: $id, content: $content) { id } }`;
const STATE = `query($id: ID!) {
  server(id: $id) { id license { licenseModel keys { key quantity } } users { name } stations { name } }
}`;
const CREATE_USER = `mutation($input: CreateCicUserInput!) { createCicUser(input: $input) { id } }`;
const CREATE_STATION = `mutation($input: CreateStationInput!) { createStation(input: $input) { id } }`;

const CLIENT = 'I3_ACCESS_CLIENT';
const ACD_1 = 'I3_ACCESS_ACD_MEDIA_1';
const BASIC = 'I3_LICENSE_BASIC_STATION';
const SUPERVISOR_KEYS = [
  'I3_ACCESS_WORKGROUP_SUPERVISOR_PLUGIN',
  'I3_ACCESS_HISTORICAL_REPORT_SUPERVISOR_PLUGIN',
  'I3_ACCESS_DIALER_SUPERVISOR_PLUGIN',
];
const AGENTS = 40;
const SUPERVISORS = 10;
const BUSINESS_USERS = 6;

interface ServerState {
  server: {
    license: { licenseModel: string; keys: Array<{ key: string; quantity: number }> } | null;
    users: Array<{ name: string }>;
    stations: Array<{ name: string }>;
  } | null;
}

/**
 * What a server's file lets us assign: the assignable quantity of each key, counted down as
 * users and stations take them (a subscription file is uncapped, so its quantities are generous).
 */
class Budget {
  private readonly left = new Map<string, number>();

  constructor(
    keys: ReadonlyArray<{ key: string; quantity: number }>,
    private readonly uncapped: boolean,
  ) {
    for (const { key, quantity } of keys) this.left.set(key, quantity);
  }

  has(key: string): boolean {
    return this.left.has(key);
  }

  /** Takes one of each key if all are left; false (and nothing taken) otherwise. */
  take(keys: readonly string[]): boolean {
    if (this.uncapped) return keys.every((k) => this.left.has(k));
    if (!keys.every((k) => (this.left.get(k) ?? 0) > 0)) return false;
    for (const k of keys) this.left.set(k, (this.left.get(k) ?? 0) - 1);
    return true;
  }
}

/**
 * Demo allocation data through the public API (so it passes every rule a client meets): loads
 * each server's activation file when given (the server's name must be the file's machine name),
 * then creates users (CONCURRENT agents, ASSIGNED supervisors and business users, whatever the
 * file licenses) and stations (workstations, a stand-alone phone, a dynamic remote station).
 * Idempotent: a file already loaded is not loaded again, and a user or station that exists by name
 * is not created again (its share of the budget is still counted, so the same choices are made),
 * so a seed interrupted half-way completes when run again, and seeding twice changes nothing.
 */
export async function seedAllocation(
  gatewayUrl: string,
  adminToken: string,
  input: SeedAllocationInput,
  /** Only to seed the allocation subgraph directly (it answers only requests the gateway signed). */
  signer?: GatewaySigner,
): Promise<SeededAllocation> {
  const call = <T>(query: string, variables: Record<string, unknown>) =>
    graphqlData<T>(gatewayUrl, query, variables, adminToken, signer);
  const result: SeededAllocation = { servers: [] };
  for (const { id, licenseFileContent, people = true } of input.servers) {
    const before = await call<ServerState>(STATE, { id });
    if (!before.server) throw new Error(`seedAllocation: server ${id} does not exist`);
    const load = Boolean(licenseFileContent) && !before.server.license;
    if (load) await call(LOAD, { id, content: licenseFileContent });
    if (!people) {
      result.servers.push({ id, licenseLoaded: load, users: 0, stations: 0, skipped: !load });
      continue;
    }
    const state = load ? (await call<ServerState>(STATE, { id })).server! : before.server;
    const existingUsers = new Set(state.users.map((u) => u.name));
    const existingStations = new Set(state.stations.map((s) => s.name));
    const keys = state.license?.keys ?? [];
    const budget = new Budget(keys, state.license?.licenseModel === 'SUBSCRIPTION');
    const present = new Set(keys.map((k) => k.key));
    let users = 0;
    let stations = 0;

    const user = async (
      name: string,
      allocationMethod: 'ASSIGNED' | 'CONCURRENT',
      licenses: string[],
      queued?: string[],
    ) => {
      if (existingUsers.has(name)) return;
      await call(CREATE_USER, {
        input: {
          serverId: id,
          name,
          allocationMethod,
          licenses,
          ...(queued ? { queuedMediaTypes: queued } : {}),
        },
      });
      users += 1;
    };
    const station = async (name: string, kind: string, licenses: string[]) => {
      if (existingStations.has(name)) return;
      await call(CREATE_STATION, { input: { serverId: id, name, kind, licenses } });
      stations += 1;
    };

    // Agents: concurrent, so configuring 40 consumes nothing; they take licences at logon.
    const agentLicenses = [
      CLIENT,
      ...(present.has(`${ACD_1}_CONCURRENT`) || present.has(ACD_1) ? [ACD_1] : []),
    ];
    for (let i = 1; i <= AGENTS; i += 1) {
      await user(`agent-${String(i).padStart(2, '0')}`, 'CONCURRENT', agentLicenses, ['Call', 'Chat']);
    }
    // Supervisors: assigned client access and the supervisor plug-ins the file holds, while they last.
    const supervisorKeys = SUPERVISOR_KEYS.filter((k) => budget.has(k));
    for (let i = 1; i <= SUPERVISORS; i += 1) {
      const name = `supervisor-${String(i).padStart(2, '0')}`;
      const assigned = [CLIENT, ...supervisorKeys];
      if (budget.take(assigned)) await user(name, 'ASSIGNED', assigned);
      else if (budget.take([CLIENT])) await user(name, 'ASSIGNED', [CLIENT]);
      else await user(name, 'CONCURRENT', [CLIENT]);
    }
    // Business users: client access only.
    for (let i = 1; i <= BUSINESS_USERS; i += 1) {
      const name = `business-${String(i).padStart(2, '0')}`;
      if (budget.take([CLIENT])) await user(name, 'ASSIGNED', [CLIENT]);
      else await user(name, 'CONCURRENT', [CLIENT]);
    }
    // Stations: a workstation per agent and supervisor while Basic Station lasts, one phone, one dynamic remote.
    for (let i = 1; i <= AGENTS + SUPERVISORS; i += 1) {
      if (!budget.take([BASIC])) break;
      await station(`ws-${String(i).padStart(2, '0')}`, 'WORKSTATION', [BASIC]);
    }
    if (budget.take([BASIC])) await station('lobby-phone', 'STAND_ALONE_PHONE', [BASIC]);
    await station('home-workers', 'DYNAMIC_REMOTE', []);
    result.servers.push({
      id,
      licenseLoaded: load,
      users,
      stations,
      skipped: !load && users === 0 && stations === 0,
    });
  }
  return result;
}
