import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import {
  BackgroundTask,
  type Clock,
  type Config,
  type Database,
  type DomainEvent,
  type EventSubscription,
  type EventTransport,
  type Logger,
  idempotentBatchConsumer,
} from '@lic/shared';
import { WEBHOOK_SOURCE_TOPICS, webhookBody, webhookMessageOf } from './event-types.js';
import { type Claimed, claimDue, recordAttempt, recordDeliveries } from './store.js';
import { type AttemptResult, sendWebhook, signatureHeaders } from './sender.js';

/** The consumer group of every webhook worker: each event reaches one of them. */
export const WEBHOOK_GROUP = 'webhooks';

export interface WebhookWorkerOptions {
  database: Database;
  transport: EventTransport;
  clock: Clock;
  settings: Config['webhooks'];
  logger?: Logger;
  /** Resolves host names (tests): the default is the system resolver. */
  resolve?: (host: string) => Promise<string[]>;
  /** Observes each attempt (the bench measures lag with it). */
  onAttempt?: (claimed: Claimed, result: AttemptResult) => void;
}

/**
 * Turns platform events into deliveries and delivers them.
 *
 * Ingest: a consumer of every mapped topic (group `webhooks`) writes one PENDING delivery per
 * subscribed endpoint in the same transaction as the event's inbox record; the transport
 * acknowledges the event only after that commits, so a crash loses nothing and a replay adds
 * nothing. Dispatch: due deliveries are claimed with a lease (see claimDue), at most
 * `concurrency` attempts at once, each bounded by `timeoutMs`; every attempt is logged and the
 * next one scheduled by the retry schedule. A worker killed mid-send leaves its lease to run
 * out, after which any worker sends again (same `webhook-id`).
 */
export class WebhookWorker {
  readonly owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private readonly subscriptions: EventSubscription[] = [];
  /** Claiming: on each kick and every pollMs; a kick while it claims makes it claim again. */
  private readonly dispatch: BackgroundTask<void>;
  private stopped = true;
  private readonly inflight = new Set<Promise<void>>();

  constructor(private readonly options: WebhookWorkerOptions) {
    this.dispatch = new BackgroundTask({
      run: () => this.pump(),
      pollMs: options.settings.pollMs,
      ...(options.logger ? { logger: options.logger } : {}),
      failureMessage: 'webhook dispatch failed',
    });
  }

  async start(): Promise<void> {
    this.stopped = false;
    const { database, transport, clock } = this.options;
    for (const topic of WEBHOOK_SOURCE_TOPICS) {
      const handler = idempotentBatchConsumer(
        database.dataSource,
        `${WEBHOOK_GROUP}:${topic}`,
        clock,
        (events, manager) => this.ingest(events, manager),
      );
      this.subscriptions.push(
        await transport.subscribeBatch(topic, WEBHOOK_GROUP, async (events) => {
          if ((await handler(events)) > 0) this.kick();
        }),
      );
    }
    this.dispatch.start();
  }

  private async ingest(
    events: DomainEvent[],
    manager: Parameters<typeof recordDeliveries>[0],
  ): Promise<void> {
    const messages = events.flatMap((event) => {
      const message = webhookMessageOf(event);
      if (!message) {
        this.options.logger?.warn({ eventId: event.id, topic: event.topic }, 'event not sent as a webhook');
        return [];
      }
      return [
        {
          accountId: message.accountId,
          type: message.type,
          eventId: event.id,
          body: webhookBody(message.type, event.occurredAt, message.data),
        },
      ];
    });
    await recordDeliveries(manager, this.options.clock.now(), messages);
  }

  /** Looks for due deliveries now (after an ingest, a finished attempt, or the poll). */
  kick(): void {
    if (this.stopped) return;
    this.dispatch.kick();
  }

  private async pump(): Promise<void> {
    const { database, clock, settings } = this.options;
    while (!this.stopped) {
      const room = settings.concurrency - this.inflight.size;
      // Claims in bites of at least half the concurrency (one claim per delivery costs more than it).
      if (room <= 0 || (this.inflight.size > 0 && room < Math.ceil(settings.concurrency / 2))) return;
      const claimed = await claimDue(database, this.owner, room, clock.now().getTime(), settings.leaseMs);
      for (const item of claimed) {
        const attempt = this.attempt(item).finally(() => {
          this.inflight.delete(attempt);
          this.kick();
        });
        this.inflight.add(attempt);
      }
      if (claimed.length < room) return;
    }
  }

  private async attempt(claimed: Claimed): Promise<void> {
    const { clock, settings, database } = this.options;
    const { delivery, endpoint } = claimed;
    try {
      const headers = signatureHeaders(endpoint.secret, delivery.id, clock.now(), delivery.payload);
      const result = await sendWebhook({
        url: endpoint.url,
        body: delivery.payload,
        headers,
        timeoutMs: settings.timeoutMs,
        allowLoopback: settings.allowLoopback,
        ...(this.options.resolve ? { resolve: this.options.resolve } : {}),
      });
      this.options.onAttempt?.(claimed, result);
      const disabled = await recordAttempt(database, clock, claimed, this.owner, result, settings);
      if (disabled) {
        this.options.logger?.warn(
          { endpointId: endpoint.id, accountId: endpoint.accountId },
          'webhook endpoint disabled after repeated failures',
        );
      }
    } catch (error) {
      // The lease runs out and another attempt follows.
      this.options.logger?.warn({ err: error, deliveryId: delivery.id }, 'webhook attempt not recorded');
    }
  }

  /** Stops consuming and claiming; waits for the attempts in flight (each bounded by its timeout). */
  async stop(): Promise<void> {
    this.stopped = true;
    const dispatching = this.dispatch.stop();
    await Promise.all(this.subscriptions.map((s) => s.close()));
    this.subscriptions.length = 0;
    await dispatching;
    await Promise.all([...this.inflight]);
  }
}
