import { Agent, request } from 'node:http';
import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { CLIENT_KEY, type Platform } from './platform.js';
import { sleep } from './infra.js';

/** What a client was told about one request. */
export type Told = 'ok' | 'failed' | 'no answer';

export interface Outcome {
  op: 'logon' | 'logoff';
  userId: string;
  /** The event's occurredAt (epoch ms): the key the database keeps it under. */
  at: number;
  told: Told;
  /** For a logoff told ok: whether it said a session ended. */
  ended?: boolean;
  /** The error code (GraphQL extensions.code) or transport error a failure came with. */
  code?: string;
  sentAt: number;
  answeredAt: number;
}

const LOGON = 'mutation($input: LogonInput!) { logon(input: $input) { acquired denied } }';
const LOGOFF = 'mutation($input: LogoffInput!) { logoff(input: $input) { ended } }';
const STATS =
  'query($id: ID!) { licenseStatistics(serverId: $id) { key concurrentAllowed concurrentInUse } }';
const STATS_SUBSCRIPTION = `subscription($id: ID!) {
  licenseStatisticsChanged(serverId: $id) { statistics { key concurrentAllowed concurrentInUse } version }
}`;
const STAGE_SUBSCRIPTION = `subscription($id: ID!) {
  enforcementStageChanged(accountId: $id) { from to at cause }
}`;

export interface Answer {
  told: Told;
  data?: Record<string, unknown>;
  code?: string;
}

/** One GraphQL POST with what the caller was told: data, a refusal (errors), or no answer at all. */
export function post(
  agent: Agent,
  url: string,
  query: string,
  variables: Record<string, unknown>,
  token: string,
  timeoutMs = 30_000,
): Promise<Answer> {
  const body = JSON.stringify({ query, variables });
  return new Promise<Answer>((resolve) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        timeout: timeoutMs,
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
              data?: Record<string, unknown> | null;
              errors?: Array<{ message: string; extensions?: { code?: string; reason?: string } }>;
            };
            // The gateway lost the subgraph's connection after the request had reached it (a
            // replica killed mid-commit): whether it happened is unknown, as with no answer at all.
            // SUBGRAPH_UNAVAILABLE says it never reached the subgraph: a failure, checked as one.
            if (parsed.errors?.some((e) => e.extensions?.reason === 'CONNECTION_LOST_AFTER_SEND'))
              resolve({ told: 'no answer', code: 'CONNECTION_LOST_AFTER_SEND (outcome unknown)' });
            else if (parsed.errors?.some((e) => e.extensions?.reason === 'SUBGRAPH_UNAVAILABLE'))
              resolve({ told: 'failed', code: 'SUBGRAPH_UNAVAILABLE' });
            else if (parsed.errors?.length)
              resolve({
                told: 'failed',
                code: parsed.errors[0]!.extensions?.code ?? parsed.errors[0]!.message.slice(0, 60),
              });
            else if (parsed.data) resolve({ told: 'ok', data: parsed.data });
            else resolve({ told: 'no answer', code: `HTTP ${res.statusCode}` });
          } catch {
            resolve({ told: 'no answer', code: `HTTP ${res.statusCode} (not JSON)` });
          }
        });
        res.on('error', (error) => resolve({ told: 'no answer', code: error.message }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (error: NodeJS.ErrnoException) =>
      resolve({ told: 'no answer', code: error.code ?? error.message }),
    );
    req.end(body);
  });
}

export interface StatSample {
  at: number;
  over: Array<{ key: string; inUse: number; allowed: number }>;
}

/** Clients logging on and off through the gateway; every outcome recorded. */
export class Load {
  readonly outcomes: Outcome[] = [];
  readonly samples: StatSample[] = [];
  private running = false;
  private workers: Promise<void>[] = [];
  // Idle connections closed after 30 s, before the gateway would (GATEWAY_KEEP_ALIVE_TIMEOUT_MS),
  // as a client should: never a request on a connection the gateway is closing.
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 200, timeout: 30_000 });
  private readonly lastAt = new Map<string, number>();

  constructor(
    private readonly platform: Platform,
    private readonly clients: number,
  ) {}

  /** occurredAt per user: the clock's now, strictly after the user's previous event. */
  private instant(userId: string): number {
    const at = Math.max(Date.now(), (this.lastAt.get(userId) ?? 0) + 1);
    this.lastAt.set(userId, at);
    return at;
  }

  start(): void {
    this.running = true;
    const seats = this.platform.fixture.seats.slice(0, this.clients);
    this.workers = seats.map((seat) => this.client(seat.userId, seat.stationId));
    this.workers.push(this.sampler());
  }

  /** Stops the clients after their current cycle; every user is logged off in the end. */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.workers);
  }

  private async send(op: 'logon' | 'logoff', userId: string, stationId: string): Promise<Outcome> {
    const { serverId } = this.platform.fixture;
    const at = this.instant(userId);
    const sentAt = Date.now();
    const input =
      op === 'logon'
        ? {
            serverId,
            userId,
            stationId,
            application: 'Interaction Connect',
            occurredAt: new Date(at).toISOString(),
          }
        : { serverId, userId, application: 'Interaction Connect', occurredAt: new Date(at).toISOString() };
    const answer = await post(
      this.agent,
      this.platform.gatewayUrl,
      op === 'logon' ? LOGON : LOGOFF,
      { input },
      this.platform.tokens.server,
    );
    const outcome: Outcome = { op, userId, at, told: answer.told, sentAt, answeredAt: Date.now() };
    if (answer.code) outcome.code = answer.code;
    if (op === 'logoff' && answer.told === 'ok')
      outcome.ended = (answer.data?.['logoff'] as { ended?: boolean } | undefined)?.ended === true;
    this.outcomes.push(outcome);
    return outcome;
  }

  private async client(userId: string, stationId: string): Promise<void> {
    while (this.running) {
      await this.send('logon', userId, stationId);
      await sleep(50 + Math.random() * 150);
      // Off again whatever the logon was told (it may have happened); until a logoff is answered.
      for (let attempt = 0; attempt < 120; attempt += 1) {
        const off = await this.send('logoff', userId, stationId);
        if (off.told === 'ok') break;
        await sleep(500);
      }
      await sleep(Math.random() * 100);
    }
  }

  /** A dashboard reading the statistics: no sample may show more in use than allowed. */
  private async sampler(): Promise<void> {
    while (this.running) {
      const answer = await post(
        this.agent,
        this.platform.gatewayUrl,
        STATS,
        { id: this.platform.fixture.serverId },
        this.platform.tokens.admin,
        5000,
      );
      if (answer.told === 'ok') {
        const stats = answer.data?.['licenseStatistics'] as Array<{
          key: string;
          concurrentAllowed: number | null;
          concurrentInUse: number;
        }>;
        this.samples.push({
          at: Date.now(),
          over: stats
            .filter((s) => s.concurrentAllowed !== null && s.concurrentInUse > s.concurrentAllowed)
            .map((s) => ({ key: s.key, inUse: s.concurrentInUse, allowed: s.concurrentAllowed! })),
        });
      }
      await sleep(250);
    }
  }

  close(): void {
    this.agent.destroy();
  }
}

export interface SubscriberState {
  connects: number;
  closes: number;
  lastClosedAt: number | undefined;
  /** ms from each close to the next connection. */
  reconnects: Array<{ closedAt: number; connectedAt: number }>;
  /** Events received since the last (re)connection. */
  eventsSinceConnect: number;
  statsEvents: number;
  stageEvents: Array<{ from: number; to: number; at: string }>;
  /** Events that carried `extensions.resumed` (the first after the gateway lost its upstream). */
  resumed: number;
  errors: string[];
  completes: number;
  lastInUse: number | undefined;
}

/** graphql-ws subscribers through the gateway, with the client settings the docs recommend. */
export class Subscribers {
  readonly states: SubscriberState[] = [];
  private readonly clients: Client[] = [];

  constructor(
    private readonly platform: Platform,
    private readonly count: number,
    /** Stage changes of every server of this account. */
    private readonly stageAccountId: string,
  ) {}

  async start(): Promise<void> {
    const url = this.platform.gatewayUrl.replace(/^http/, 'ws');
    const authorization = `Bearer ${this.platform.tokens.supervisor}`;
    for (let i = 0; i < this.count; i += 1) {
      const state: SubscriberState = {
        connects: 0,
        closes: 0,
        lastClosedAt: undefined,
        reconnects: [],
        eventsSinceConnect: 0,
        statsEvents: 0,
        stageEvents: [],
        resumed: 0,
        errors: [],
        completes: 0,
        lastInUse: undefined,
      };
      this.states.push(state);
      const client = createClient({
        url,
        webSocketImpl: WebSocket,
        connectionParams: { authorization },
        lazy: false,
        retryAttempts: Number.POSITIVE_INFINITY,
        shouldRetry: () => true,
        // Short and jittered: a restarted gateway is not met by every client at once, and none
        // waits more than a second between attempts.
        retryWait: async (retries) =>
          sleep(Math.min(1000, 100 * 2 ** Math.min(retries, 4)) * (0.5 + Math.random() / 2)),
        on: {
          connected: () => {
            state.connects += 1;
            state.eventsSinceConnect = 0;
            if (state.lastClosedAt !== undefined) {
              state.reconnects.push({ closedAt: state.lastClosedAt, connectedAt: Date.now() });
              state.lastClosedAt = undefined;
            }
          },
          closed: () => {
            state.closes += 1;
            state.lastClosedAt ??= Date.now();
          },
        },
      });
      this.clients.push(client);
      client.subscribe(
        { query: STATS_SUBSCRIPTION, variables: { id: this.platform.fixture.serverId } },
        {
          next: (value) => {
            if (value.errors?.length) {
              state.errors.push(String((value.errors[0] as { message?: string }).message));
              return;
            }
            if ((value.extensions as { resumed?: unknown } | undefined)?.resumed === true) state.resumed += 1;
            state.statsEvents += 1;
            state.eventsSinceConnect += 1;
            const stats = (
              value.data as {
                licenseStatisticsChanged?: { statistics: Array<{ key: string; concurrentInUse: number }> };
              }
            )?.licenseStatisticsChanged?.statistics;
            state.lastInUse = stats?.find((s) => s.key === CLIENT_KEY)?.concurrentInUse;
          },
          error: (error) => state.errors.push(describe(error)),
          complete: () => (state.completes += 1),
        },
      );
      // One subscriber in ten also follows the account's stage changes.
      if (i % 10 === 0)
        client.subscribe(
          { query: STAGE_SUBSCRIPTION, variables: { id: this.stageAccountId } },
          {
            next: (value) => {
              if (value.errors?.length) {
                state.errors.push(String((value.errors[0] as { message?: string }).message));
                return;
              }
              if ((value.extensions as { resumed?: unknown } | undefined)?.resumed === true)
                state.resumed += 1;
              const change = (
                value.data as { enforcementStageChanged?: { from: number; to: number; at: string } }
              )?.enforcementStageChanged;
              if (change) state.stageEvents.push(change);
            },
            error: (error) => state.errors.push(describe(error)),
            complete: () => (state.completes += 1),
          },
        );
      if (i % 50 === 49) await sleep(50);
    }
  }

  /** Clears what the previous fault left: each fault's figures are its own. */
  resetWindow(): void {
    for (const s of this.states) {
      s.reconnects = [];
      s.errors = [];
      s.completes = 0;
      s.closes = 0;
      s.stageEvents = [];
      s.resumed = 0;
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.clients.map((c) => c.dispose()));
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (Array.isArray(error)) return String((error[0] as { message?: string })?.message);
  const close = error as { code?: number; reason?: string };
  if (typeof close?.code === 'number') return `close ${close.code} ${close.reason ?? ''}`;
  return String(error);
}
