import { randomUUID } from 'node:crypto';
import {
  type DomainEvent,
  type EventTransport,
  InProcessTransport,
  ManualClock,
  type Role,
  Topics,
} from '@lic/shared';
import {
  graphqlRequest,
  type TestDatabase,
  type TestEnvironment,
  inboxHolds,
  testEnvironment,
  tokenFor,
} from '@lic/testing';
import { type BillingServerHandle, createServer } from '../src/server.js';

/** Licences of the reference's example users (SPEC §3). */
export const LICENSES = {
  tina: ['I3_ACCESS_CLIENT'],
  sam: ['I3_ACCESS_CLIENT', 'I3_ACCESS_ACD_MEDIA_1'],
  jane: ['I3_ACCESS_CLIENT', 'I3_ACCESS_ACD_MEDIA_1', 'I3_ACCESS_ACD_MEDIA_3_PLUS', 'I3_ACCESS_FEEDBACK'],
  john: ['I3_CLIENT_ACCESS', 'I3_ACCESS_ACD_MEDIA_1', 'I3_ACCESS_RECORDER'],
} as const;

export const UPLOAD_LICENSE = { I3_FEATURE_USAGE_TRACKING_UPLOAD: 1, I3_ACCESS_CLIENT: 100 };
export const LOCAL_LICENSE = { I3_FEATURE_USAGE_TRACKING_LOCAL: 1, I3_ACCESS_CLIENT: 100 };
export const UNTRACKED_LICENSE = { I3_ACCESS_CLIENT: 100 };

/**
 * What allocation publishes, built as it builds it: each call makes one domain event with a new
 * id. Events are kept so that a test can publish them again, in another order, elsewhere.
 */
export class EventFactory {
  readonly events: DomainEvent[] = [];

  private make(topic: string, payload: Record<string, unknown>, occurredAt: string): DomainEvent {
    const event: DomainEvent = { id: randomUUID(), topic, source: 'allocation', occurredAt, payload };
    this.events.push(event);
    return event;
  }

  licenseLoaded(server: ServerRef, keys: Record<string, number>, at: string): DomainEvent {
    return this.make(
      Topics.LicenseFileLoaded,
      {
        serverId: server.serverId,
        accountId: server.accountId,
        fileId: randomUUID(),
        licenseModel: 'SUBSCRIPTION',
        licenseType: 'SUBSCRIPTION',
        keys,
        rampDate: null,
        graceDays: null,
        callPorts: 0,
        loadedAt: at,
      },
      at,
    );
  }

  serverRegistered(server: ServerRef, name: string): DomainEvent {
    return this.make(
      Topics.ServerRegistered,
      { serverId: server.serverId, accountId: server.accountId, installSiteId: randomUUID(), name },
      new Date().toISOString(),
    );
  }

  serverStarted(server: ServerRef, at: string): DomainEvent {
    return this.make(
      Topics.ServerStarted,
      { serverId: server.serverId, accountId: server.accountId, switchover: false, occurredAt: at },
      at,
    );
  }

  /** `extra`: what newer producers add (the user's own licences, a telephone-only logon). */
  logon(
    server: ServerRef,
    userId: string,
    at: string,
    licenses: readonly string[],
    application = 'Interaction Connect',
    extra: SessionExtra = {},
  ): DomainEvent {
    return this.make(
      Topics.SessionStarted,
      {
        sessionId: randomUUID(),
        ...server,
        userId,
        stationId: null,
        application,
        licenses: [...licenses],
        occurredAt: at,
        ...extra,
      },
      at,
    );
  }

  logoff(
    server: ServerRef,
    userId: string,
    at: string,
    licenses: readonly string[],
    application = 'Interaction Connect',
    extra: Pick<SessionExtra, 'userLicenses'> = {},
  ): DomainEvent {
    return this.make(
      Topics.SessionEnded,
      {
        sessionId: randomUUID(),
        ...server,
        userId,
        application,
        licenses: [...licenses],
        occurredAt: at,
        cause: 'LOGOFF',
        ...extra,
      },
      at,
    );
  }

  /** A logon and a logoff. */
  session(
    server: ServerRef,
    userId: string,
    from: string,
    to: string,
    licenses: readonly string[],
  ): DomainEvent[] {
    return [this.logon(server, userId, from, licenses), this.logoff(server, userId, to, licenses)];
  }
}

export interface SessionExtra {
  userLicenses?: string[];
  telephoneOnly?: boolean;
}

export interface ServerRef {
  serverId: string;
  accountId: string;
}

export const newServer = (): ServerRef => ({ serverId: randomUUID(), accountId: randomUUID() });

export interface BillingHarness {
  env: TestEnvironment;
  clock: ManualClock;
  transport: EventTransport;
  billing: BillingServerHandle;
  /** Publishes events to the bus and waits until billing has applied every distinct event published so far. */
  publish(events: readonly DomainEvent[]): Promise<void>;
  /** Waits until billing has applied `count` events in all. */
  applied(count: number): Promise<void>;
  query<T>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
  ): Promise<{ data?: T | null; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> }>;
  /** Like query, but fails on errors. */
  data<T>(query: string, variables?: Record<string, unknown>, token?: string): Promise<T>;
  token(roles: Role[], claims?: { accountId?: string; serverId?: string }): Promise<string>;
  admin: string;
  /** Stops billing (the transport keeps events for it) and starts it again on the same data. */
  restart(): Promise<void>;
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  database: TestDatabase;
  transport?: EventTransport;
  clock?: ManualClock;
  envVars?: Record<string, string>;
  /** Create the server later (to publish while billing is down). */
  stopped?: boolean;
}

export async function billingHarness(options: HarnessOptions): Promise<BillingHarness> {
  // `applied` counts inbox rows, and tests move the clock by weeks, backwards too: none may be
  // pruned, so every harness keeps a year of events (an environment of its own, never passed in).
  // A one-second settle delay keeps the background-derivation tests short.
  const env = testEnvironment({
    database: options.database,
    env: { EVENT_RETENTION_HOURS: '8760', USAGE_DERIVE_DELAY_MS: '1000', ...options.envVars },
  });
  const clock = options.clock ?? new ManualClock('2020-06-10T00:00:00.000Z');
  const transport = options.transport ?? new InProcessTransport();
  const published = new Set<string>();
  let billing: BillingServerHandle | undefined;
  const start = async () => {
    billing = await createServer(env.config, { clock, transport }, { uploadSchedule: false });
  };
  if (!options.stopped) await start();
  const running = (): BillingServerHandle => {
    if (!billing) throw new Error('billing is not running');
    return billing;
  };
  const applied = (count: number) => inboxHolds(running().database.dataSource, count, 20_000);
  const query = async <T>(q: string, variables: Record<string, unknown> = {}, token?: string) =>
    graphqlRequest<T>(running().url, q, variables, token ?? admin);
  const admin = await tokenFor(env.config, { roles: ['LICENSING_ADMIN'] });
  const harness: BillingHarness = {
    env,
    clock,
    transport,
    get billing() {
      return running();
    },
    publish: async (events) => {
      for (const event of events) {
        await transport.publish(event);
        published.add(event.id);
      }
      if (billing) await applied(published.size);
    },
    applied,
    query,
    data: async <T>(q: string, variables: Record<string, unknown> = {}, token?: string) => {
      const result = await query<T>(q, variables, token);
      if (result.errors?.length) throw new Error(`GraphQL error: ${JSON.stringify(result.errors)}`);
      return result.data as T;
    },
    token: (roles, claims = {}) => tokenFor(env.config, { roles, ...claims }),
    admin,
    stop: async () => {
      await billing?.close();
      billing = undefined;
    },
    start,
    restart: async () => {
      await billing?.close();
      await start();
    },
    close: async () => {
      await billing?.close();
      billing = undefined;
      if (!options.transport) await transport.close();
      await env.cleanup();
    },
  };
  return harness;
}

export const REPORT_QUERY = `query Report($accountId: ID!, $periodStart: DateTime!) {
  usageReport(accountId: $accountId, periodStart: $periodStart) {
    accountId basis categoryVersion final asOf billableConcurrentMinutes
    period { start end uploadDeadline }
    lines { category namedUsers peakConcurrent billableConcurrent activeHours billableQuantity }
  }
}`;

export interface ReportLine {
  category: string;
  namedUsers: number;
  peakConcurrent: number;
  billableConcurrent: number;
  activeHours: number;
  billableQuantity: number;
}

export interface ReportResult {
  usageReport: {
    accountId: string;
    basis: string;
    categoryVersion: string;
    final: boolean;
    asOf: string;
    billableConcurrentMinutes: number;
    period: { start: string; end: string; uploadDeadline: string };
    lines: ReportLine[];
  };
}

export const SESSIONS_QUERY = `query Sessions($serverId: ID!, $userId: ID, $from: DateTime, $to: DateTime) {
  usageSessions(serverId: $serverId, userId: $userId, from: $from, to: $to) { user { id } start end categories licenses }
}`;

export interface SessionsResult {
  usageSessions: Array<{
    user: { id: string };
    start: string;
    end: string | null;
    categories: string[];
    licenses: string[];
  }>;
}
