import { randomUUID } from 'node:crypto';
import { DAY_MS, type LicenseFileContent, signLicenseFile } from '@lic/shared';
import { graphqlData } from './client.js';
import { eventually } from './config.js';

/**
 * The fluent seed: account → site → order → file → server → users, through the public GraphQL
 * API, so the same chain seeds a gateway (e2e, bench, faults) and a single subgraph (a harness,
 * which adopts the ids the other subgraphs would have made with `use`).
 *
 *   const made = await seed(api, { privateKeyPem })
 *     .account({ name: 'Acme' })
 *     .site()
 *     .server({ name: 'acme-cic-1', waitMs: 15_000 })
 *     .file({ keys: { I3_ACCESS_CLIENT_CONCURRENT: 5 } })
 *     .users(['ann', 'bob'], { licenses: ['I3_ACCESS_CLIENT'] });
 *   made.accountId; made.siteId; made.serverId; made.fileId; made.userIds.ann;
 *
 * Each step runs after the one before it, when the chain is awaited, and adds the ids it made to
 * the result. A step returns a new chain; a chain runs once, so a prefix (an account and its
 * site, say) can be continued twice and both continuations share what it made.
 */

/** Sends an operation (with whatever token the caller holds) and returns its data, or throws. */
export type SeedApi = <T>(query: string, variables: Record<string, unknown>) => Promise<T>;

/** A SeedApi sending to `url` (a gateway or a subgraph) with `token` (signed as tests sign). */
export function apiAt(url: string, token: string): SeedApi {
  return <T>(query: string, variables: Record<string, unknown>) =>
    graphqlData<T>(url, query, variables, token);
}

export interface SeedOptions {
  /** Signs the licence files `file` makes by hand (not needed when files come from an order). */
  privateKeyPem?: string;
  /** "Now" for a file's generatedAt (a day before it): the platform's clock when a test moves it. */
  now?: () => Date;
}

export interface AccountStep {
  name?: string;
  garn?: string;
  kind?: 'CUSTOMER' | 'PARTNER';
}

export interface SitelessAccountStep extends AccountStep {
  /** No install site is created: the account's id stands for its site (the fault runs do so). */
  siteless: true;
}

export interface SiteStep {
  name?: string;
  address?: string;
}

export interface ServerStep {
  name?: string;
  /** PRODUCTION when not given; development files load only on DEVELOPMENT or TEST servers. */
  environment?: 'PRODUCTION' | 'DEVELOPMENT' | 'TEST';
  /** The server this one is the switchover partner of (makes a switchover pair). */
  switchoverPartnerId?: string;
  /**
   * A switchover pair: this server, then its standby member of this name registered as its
   * partner; a hand-signed `file` then names the standby as the pair's switchover machine.
   */
  standby?: string;
  /** Retry registration this long (the allocation subgraph learns of a new account by an event). */
  waitMs?: number;
}

/** One sales-order line (a part number and its quantities). */
export interface OrderLine {
  partNumber: string;
  assignedQuantity: number;
  pooledQuantity: number;
}

export interface OrderStep {
  lines: OrderLine[];
  licenseModel?: 'PERPETUAL' | 'SUBSCRIPTION' | 'VIRTUAL_CLOUD';
  productVersion?: string;
  /** Further CreateSalesOrderInput fields (terms such as a ramp date or grace days). */
  terms?: Record<string, unknown>;
}

export interface FileStep {
  /** Licence keys and quantities of a hand-signed file (needs `privateKeyPem`). */
  keys?: Record<string, number> | LicenseFileContent['keys'];
  /** Order lines of a file the accounts subgraph generates and signs (generateActivationFile). */
  items?: OrderLine[];
  licenseModel?: LicenseFileContent['licenseModel'];
  licenseType?: LicenseFileContent['licenseType'];
  expiresAt?: Date;
  /** A day before the seed's "now" when not given. */
  generatedAt?: Date;
  /** A virtual-cloud subscription's ramp date (grace `gracePeriodDays`, one day unless told). */
  rampDate?: Date;
  gracePeriodDays?: number;
  hostId?: string;
  /** The machine name the file names: the server's own name when not given. */
  machineName?: string;
  /**
   * A hand-signed file written as the accounts subgraph writes one (host HOST-<machine>, a Media
   * Server Based system, server item SW-003-4.0-SV01, version 2020 R2) rather than a lab machine's.
   */
  platformStyle?: boolean;
  /** Anything else of a hand-signed file's content (product, version, machine, signing key…). */
  overrides?: Partial<LicenseFileContent>;
  privateKeyPem?: string;
  /** Sign (or generate) the file but do not load it: `fileContent` holds it. */
  load?: boolean;
}

export interface UsersStep {
  licenses: string[];
  allocationMethod?: 'ASSIGNED' | 'CONCURRENT';
}

export interface StationStep {
  name?: string;
  kind?: string;
  licenses?: string[];
}

export interface SeedAccount {
  accountId: string;
}
export interface SeedSite {
  siteId: string;
}
export interface SeedOrder {
  orderId: string;
}
export interface SeedServer {
  serverId: string;
  serverName: string;
}
export interface SeedStandby {
  standbyServerId: string;
  standbyServerName: string;
}
export interface SeedFile {
  fileId: string;
  fileContent: string;
  /** Whether the file is loaded (not when `load: false`, nor yet when made before its server). */
  fileLoaded: boolean;
  /** A file made before its server, for `server` to load. */
  fileAwaitsServer: boolean;
}
export interface SeedUsers {
  userIds: Record<string, string>;
}
export interface SeatsStep {
  /** A seat's user name and station name, by its index (user-0 and station-0 …). */
  userName?: (index: number) => string;
  stationName?: (index: number) => string;
  licenses: string[];
  stationLicenses?: string[];
}

export interface SeedSeats {
  /** A concurrent user and a workstation per seat, made in turn (user 0, station 0, user 1 …). */
  seats: Array<{ userId: string; stationId: string }>;
}

export interface SeedStation {
  /** The station this step made; `stationIds` holds every station of the chain by name. */
  stationId: string;
  stationIds: Record<string, string>;
}

/** What the steps so far made (nothing yet). */
export type Seeded = Partial<
  SeedAccount &
    SeedSite &
    SeedOrder &
    SeedServer &
    SeedStandby &
    SeedFile &
    SeedUsers &
    SeedStation &
    SeedSeats
>;

/** `R` with what a step added (a step's ids replace the same ids of an earlier step). */
export type With<R, Add> = Omit<R, keyof Add> & Add;

type Step<In, Add> = (made: In, api: SeedApi, options: SeedOptions) => Promise<Add>;

const short = (): string => randomUUID().slice(0, 8);

export class Seed<R extends object> implements PromiseLike<R> {
  private made: Promise<R> | undefined;

  private constructor(
    private readonly api: SeedApi,
    private readonly options: SeedOptions,
    private readonly steps: () => Promise<R>,
  ) {}

  /** Runs the chain once: a chain awaited again, or continued, reuses what it made. */
  private run(): Promise<R> {
    this.made ??= this.steps();
    return this.made;
  }

  static start(api: SeedApi, options: SeedOptions = {}): Seed<object> {
    return new Seed<object>(api, options, () => Promise.resolve({}));
  }

  private next<Add extends object>(step: Step<R, Add>): Seed<With<R, Add>> {
    const { api, options } = this;
    return new Seed(api, options, async () => {
      const made = await this.run();
      return { ...made, ...(await step(made, api, options)) };
    });
  }

  /** Adopts ids made elsewhere (a subgraph harness has no accounts subgraph to make them). */
  use<Ids extends Seeded>(ids: Ids): Seed<With<R, Ids>> {
    return this.next<Ids>(() => Promise.resolve(ids) as Promise<Ids>);
  }

  /** A customer (or partner) account. */
  account(step: SitelessAccountStep): Seed<With<R, SeedAccount & SeedSite>>;
  account(step?: AccountStep): Seed<With<R, SeedAccount>>;
  account(step: AccountStep & { siteless?: true } = {}): Seed<object> {
    return this.next<SeedAccount & Partial<SeedSite>>(async (_made, api) => {
      const data = await api<{ createAccount: { id: string } }>(
        'mutation($input: CreateAccountInput!) { createAccount(input: $input) { id } }',
        {
          input: {
            name: step.name ?? `Account ${short()}`,
            garn: step.garn ?? `GARN-${short()}`,
            kind: step.kind ?? 'CUSTOMER',
          },
        },
      );
      const accountId = data.createAccount.id;
      return step.siteless ? { accountId, siteId: accountId } : { accountId };
    });
  }

  /** An install site of the account. */
  site(this: Seed<R & SeedAccount>, step: SiteStep = {}): Seed<With<R & SeedAccount, SeedSite>> {
    return this.next<SeedSite>(async (made, api) => {
      const data = await api<{ createInstallSite: { id: string } }>(
        'mutation($input: CreateInstallSiteInput!) { createInstallSite(input: $input) { id } }',
        {
          input: {
            accountId: made.accountId,
            name: step.name ?? 'Main site',
            ...(step.address ? { address: step.address } : {}),
          },
        },
      );
      return { siteId: data.createInstallSite.id };
    });
  }

  /** A sales order for the account (the end user); `file({ items })` then generates from it. */
  order(this: Seed<R & SeedAccount>, step: OrderStep): Seed<With<R & SeedAccount, SeedOrder>> {
    return this.next<SeedOrder>(async (made, api) => {
      const data = await api<{ createSalesOrder: { id: string } }>(
        'mutation($input: CreateSalesOrderInput!) { createSalesOrder(input: $input) { id } }',
        {
          input: {
            endUserAccountId: made.accountId,
            licenseModel: step.licenseModel ?? 'PERPETUAL',
            productVersion: step.productVersion ?? '2020 R2',
            maintenancePaid: true,
            lines: step.lines,
            ...step.terms,
          },
        },
      );
      return { orderId: data.createSalesOrder.id };
    });
  }

  /** A CIC server registered at the site. */
  server(
    this: Seed<R & SeedAccount & SeedSite>,
    step: ServerStep = {},
  ): Seed<With<R & SeedAccount & SeedSite, SeedServer & Partial<SeedStandby>>> {
    return this.next<SeedServer & Partial<SeedStandby>>(async (made, api) => {
      const name = step.name ?? `cic-${short()}`;
      const register = async (serverName: string, switchoverPartnerId?: string): Promise<string> =>
        (
          await api<{ registerServer: { id: string } }>(
            'mutation($input: RegisterServerInput!) { registerServer(input: $input) { id } }',
            {
              input: {
                accountId: made.accountId,
                installSiteId: made.siteId,
                name: serverName,
                ...(switchoverPartnerId ? { switchoverPartnerId } : {}),
                ...(step.environment ? { environment: step.environment } : {}),
              },
            },
          )
        ).registerServer.id;
      const first = () => register(name, step.switchoverPartnerId);
      const serverId = step.waitMs ? await eventually(first, step.waitMs) : await first();
      const standby = step.standby
        ? { standbyServerId: await register(step.standby, serverId), standbyServerName: step.standby }
        : {};
      // A file made first (account → site → order → file → server) is loaded now.
      const { fileContent, fileAwaitsServer } = made as Seeded;
      if (fileContent !== undefined && fileAwaitsServer) {
        await loadFile(api, serverId, fileContent);
        // The file's own fields (already in the record) now say it is loaded.
        const loaded = { serverId, serverName: name, ...standby, fileLoaded: true, fileAwaitsServer: false };
        return loaded;
      }
      return { serverId, serverName: name, ...standby };
    });
  }

  /**
   * A licence file, loaded onto the server: signed here from `keys` (a perpetual production file
   * expiring in 2100 unless told otherwise), or generated by the accounts subgraph from `items`
   * (after an `order`). Made before `server` (it then needs `machineName`), `server` loads it.
   */
  file(
    this: Seed<R & SeedAccount & SeedSite>,
    step: FileStep,
  ): Seed<With<R & SeedAccount & SeedSite, SeedFile>> {
    return this.next<SeedFile>(async (made, api, options) => {
      const { serverId, serverName } = made as Seeded;
      const machineName = step.machineName ?? serverName;
      if (!machineName) throw new Error('seed: a file made before its server needs a machineName');
      let fileId: string;
      let fileContent: string;
      if (step.items) {
        const data = await api<{ generateActivationFile: { id: string; content: string } }>(
          'mutation($input: GenerateActivationFileInput!) { generateActivationFile(input: $input) { id content } }',
          {
            input: {
              installSiteId: made.siteId,
              product: 'PureConnect CIC',
              productVersion: '2020 R2',
              licenseType: step.licenseType ?? 'PRODUCTION',
              licenseModel: step.licenseModel ?? 'PERPETUAL',
              machine: {
                hostId: step.hostId ?? `HOST-${machineName}`,
                machineName,
                systemType: 'Media Server Based',
              },
              serverItem: 'SW-003-4.0-SV01',
              items: step.items,
            },
          },
        );
        ({ id: fileId, content: fileContent } = data.generateActivationFile);
      } else {
        const privateKeyPem = step.privateKeyPem ?? options.privateKeyPem;
        if (!privateKeyPem) throw new Error('seed: file({ keys }) needs a privateKeyPem to sign with');
        const { standbyServerName } = made as Seeded;
        const content = licenceFileContent(
          { accountId: made.accountId, siteId: made.siteId, machineName, standbyName: standbyServerName },
          step,
          options.now?.() ?? new Date(),
        );
        fileId = content.fileId;
        fileContent = signLicenseFile(content, privateKeyPem);
      }
      const load = step.load !== false;
      if (serverId === undefined) return { fileId, fileContent, fileLoaded: false, fileAwaitsServer: load };
      if (load) await loadFile(api, serverId, fileContent);
      return { fileId, fileContent, fileLoaded: load, fileAwaitsServer: false };
    });
  }

  /** Caps the account's use of licence keys (a subscription pool is uncapped until capped). */
  cap(this: Seed<R & SeedAccount>, caps: Record<string, number | null>): Seed<With<R & SeedAccount, object>> {
    return this.next<object>(async (made, api) => {
      for (const [key, cap] of Object.entries(caps)) {
        await api(
          'mutation($a: ID!, $k: String!, $c: Int) { setAccountLicenseCap(accountId: $a, key: $k, cap: $c) { cap } }',
          { a: made.accountId, k: key, c: cap },
        );
      }
      return {};
    });
  }

  /** CIC users on the server, by name (a number makes that many, named user-1, user-2 …). */
  users(
    this: Seed<R & Pick<SeedServer, 'serverId'>>,
    names: string[] | number,
    step: UsersStep,
  ): Seed<With<R & Pick<SeedServer, 'serverId'>, SeedUsers>> {
    const list = typeof names === 'number' ? Array.from({ length: names }, (_, i) => `user-${i + 1}`) : names;
    return this.next<SeedUsers>(async (made, api) => {
      // Users made by an earlier step stay in the record (a second step for other licences).
      const userIds: Record<string, string> = { ...(made as Seeded).userIds };
      for (const name of list) {
        const data = await api<{ createCicUser: { id: string } }>(
          'mutation($input: CreateCicUserInput!) { createCicUser(input: $input) { id } }',
          {
            input: {
              serverId: made.serverId,
              name,
              allocationMethod: step.allocationMethod ?? 'CONCURRENT',
              licenses: step.licenses,
            },
          },
        );
        userIds[name] = data.createCicUser.id;
      }
      return { userIds };
    });
  }

  /** `count` seats (a user and a workstation each) on the server, as a load test signs on. */
  seats(
    this: Seed<R & Pick<SeedServer, 'serverId'>>,
    count: number,
    step: SeatsStep,
  ): Seed<With<R & Pick<SeedServer, 'serverId'>, SeedSeats>> {
    return this.next<SeedSeats>(async (made, api) => {
      const seats: SeedSeats['seats'] = [];
      for (let i = 0; i < count; i += 1) {
        const user = await api<{ createCicUser: { id: string } }>(
          'mutation($input: CreateCicUserInput!) { createCicUser(input: $input) { id } }',
          {
            input: {
              serverId: made.serverId,
              name: step.userName?.(i) ?? `user-${i}`,
              allocationMethod: 'CONCURRENT',
              licenses: step.licenses,
            },
          },
        );
        const station = await api<{ createStation: { id: string } }>(
          'mutation($input: CreateStationInput!) { createStation(input: $input) { id } }',
          {
            input: {
              serverId: made.serverId,
              name: step.stationName?.(i) ?? `station-${i}`,
              kind: 'WORKSTATION',
              licenses: step.stationLicenses ?? ['I3_LICENSE_BASIC_STATION'],
            },
          },
        );
        seats.push({ userId: user.createCicUser.id, stationId: station.createStation.id });
      }
      return { seats };
    });
  }

  /** A station on the server (a workstation with a basic station licence unless told otherwise). */
  station(
    this: Seed<R & Pick<SeedServer, 'serverId'>>,
    step: StationStep = {},
  ): Seed<With<R & Pick<SeedServer, 'serverId'>, SeedStation>> {
    return this.next<SeedStation>(async (made, api) => {
      const name = step.name ?? `station-${short()}`;
      const data = await api<{ createStation: { id: string } }>(
        'mutation($input: CreateStationInput!) { createStation(input: $input) { id } }',
        {
          input: {
            serverId: made.serverId,
            name,
            kind: step.kind ?? 'WORKSTATION',
            licenses: step.licenses ?? ['I3_LICENSE_BASIC_STATION'],
          },
        },
      );
      const stationId = data.createStation.id;
      return { stationId, stationIds: { ...(made as Seeded).stationIds, [name]: stationId } };
    });
  }

  then<A = R, B = never>(
    onFulfilled?: ((value: R) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.run().then(onFulfilled, onRejected);
  }
}

function loadFile(api: SeedApi, serverId: string, content: string): Promise<unknown> {
  return api(
    'mutation($id: ID!, $content: String!) { loadLicenseFile(serverId: $id, content: $content) { id } }',
    {
      id: serverId,
      content,
    },
  );
}

const isKeyList = (keys: NonNullable<FileStep['keys']>): keys is LicenseFileContent['keys'] =>
  Array.isArray(keys);

function keyList(keys: FileStep['keys']): LicenseFileContent['keys'] {
  if (keys === undefined) return [];
  if (isKeyList(keys)) return keys;
  return Object.entries(keys).map(([key, quantity]) => ({ key, quantity }));
}

/**
 * The content of a hand-signed licence file for a server: a perpetual production file of
 * PureConnect CIC 2020 R1, generated a day before `now`, expiring in 2100, unless `step` says
 * otherwise (its `overrides` last).
 */
export function licenceFileContent(
  server: { accountId: string; siteId: string; machineName: string; standbyName?: string | undefined },
  step: Omit<FileStep, 'items' | 'load' | 'privateKeyPem' | 'machineName'>,
  now: Date,
): LicenseFileContent {
  const platform = step.platformStyle ?? false;
  const machine = {
    hostId: step.hostId ?? (platform ? `HOST-${server.machineName}` : '00-15-5D-01-02-03'),
    machineName: server.machineName,
    systemType: platform ? 'Media Server Based' : 'Windows Server 2019',
    serverItem: platform ? 'SW-003-4.0-SV01' : 'Basic Server',
    ...step.overrides?.machine,
  };
  // A switchover pair's file names its standby member (same server item, its own host).
  const switchover = server.standbyName
    ? {
        hostId: `HOST-${server.standbyName}`,
        machineName: server.standbyName,
        serverItem: machine.serverItem,
      }
    : undefined;
  return {
    fileId: `af-${randomUUID().slice(0, 12)}`,
    accountId: server.accountId,
    installSiteId: server.siteId,
    licenseModel: step.licenseModel ?? 'PERPETUAL',
    licenseType: step.licenseType ?? 'PRODUCTION',
    product: 'PureConnect CIC',
    productVersion: platform ? '2020 R2' : '2020 R1',
    generatedAt: step.generatedAt ?? new Date(now.getTime() - DAY_MS),
    expiresAt: step.expiresAt ?? new Date('2100-01-01T00:00:00.000Z'),
    ...(switchover ? { switchover } : {}),
    ...(step.rampDate
      ? { virtualCloud: { rampDate: step.rampDate, gracePeriodDays: step.gracePeriodDays ?? 1 } }
      : {}),
    keys: keyList(step.keys),
    ...step.overrides,
    machine,
  };
}

/** Starts a seed chain against `api` (a gateway, or one subgraph). */
export function seed(api: SeedApi, options: SeedOptions = {}): Seed<object> {
  return Seed.start(api, options);
}
