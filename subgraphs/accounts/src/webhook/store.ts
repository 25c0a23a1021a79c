import { randomUUID } from 'node:crypto';
import { In, type EntityManager } from 'typeorm';
import {
  type Clock,
  type Database,
  Topics,
  type WebhookEndpointDisabledPayload,
  recordEvent,
} from '@lic/shared';
import { WebhookAttempt, WebhookDelivery, WebhookEndpoint } from './webhook.entity.js';
import { type AttemptResult } from './sender.js';

/** A delivery's id, sent as `webhook-id`: receivers deduplicate on it (a redelivery keeps it). */
export function newMessageId(): string {
  return `msg_${randomUUID().replaceAll('-', '')}`;
}

/** One platform event as it becomes deliveries. */
export interface IncomingMessage {
  accountId: string;
  type: string;
  eventId: string;
  body: string;
}

/**
 * Creates one PENDING delivery per enabled endpoint of the account subscribed to the message's
 * type, in the caller's transaction (the events' inbox records commit with them). Returns how many.
 */
export async function recordDeliveries(
  manager: EntityManager,
  now: Date,
  messages: readonly IncomingMessage[],
): Promise<number> {
  if (messages.length === 0) return 0;
  const accounts = [...new Set(messages.map((m) => m.accountId))];
  const endpoints = await manager.find(WebhookEndpoint, {
    where: { accountId: In(accounts), enabled: true },
  });
  const rows = messages.flatMap((message) =>
    endpoints
      .filter((e) => e.accountId === message.accountId && e.eventTypes.includes(message.type))
      .map((endpoint) => ({
        id: newMessageId(),
        endpointId: endpoint.id,
        accountId: endpoint.accountId,
        eventId: message.eventId,
        eventType: message.type,
        payload: message.body,
        status: 'PENDING' as const,
        attemptCount: 0,
        nextAttemptAt: now,
        leaseUntil: null,
        leaseOwner: null,
        createdAt: now,
        deliveredAt: null,
      })),
  );
  for (let i = 0; i < rows.length; i += 200) await manager.insert(WebhookDelivery, rows.slice(i, i + 200));
  return rows.length;
}

export interface Claimed {
  delivery: WebhookDelivery;
  endpoint: WebhookEndpoint;
}

/**
 * Claims up to `limit` due deliveries for `owner` until `now + leaseMs`. MariaDB: `SELECT … FOR
 * UPDATE SKIP LOCKED` on the delivery rows alone (a join would lock the endpoint row too, and
 * every other worker would skip all its deliveries), so any number of workers claim disjoint
 * rows; a lease that runs out (its worker died) makes the row due again. SQLite: one process,
 * and its transactions run one after another. Deliveries of a disabled endpoint are parked
 * (no next attempt) until it is enabled again.
 */
export async function claimDue(
  database: Database,
  owner: string,
  limit: number,
  now: number,
  leaseMs: number,
): Promise<Claimed[]> {
  const { dataSource } = database;
  const mariadb = database.kind === 'mariadb';
  const ids = await database.transaction(async (manager) => {
    const rows = (await manager.query(
      'SELECT d.id FROM webhook_delivery d WHERE d.status = ? AND d.next_attempt_at <= ? ' +
        'AND (d.lease_until IS NULL OR d.lease_until < ?) ' +
        `ORDER BY d.next_attempt_at, d.id LIMIT ${Number(limit)}` +
        (mariadb ? ' FOR UPDATE SKIP LOCKED' : ''),
      ['PENDING', now, now],
    )) as Array<{ id: string }>;
    if (rows.length === 0) return [];
    const claimed = rows.map((r) => r.id);
    await manager.query(
      `UPDATE webhook_delivery SET lease_until = ?, lease_owner = ? WHERE id IN (${claimed.map(() => '?').join(', ')})`,
      [now + leaseMs, owner, ...claimed],
    );
    return claimed;
  });
  if (ids.length === 0) return [];
  const deliveries = await dataSource.getRepository(WebhookDelivery).findBy({ id: In(ids) });
  const endpoints = await dataSource
    .getRepository(WebhookEndpoint)
    .findBy({ id: In([...new Set(deliveries.map((d) => d.endpointId))]) });
  const byId = new Map(endpoints.map((e) => [e.id, e]));
  const parked = deliveries.filter((d) => !byId.get(d.endpointId)?.enabled).map((d) => d.id);
  if (parked.length > 0) {
    await dataSource.query(
      'UPDATE webhook_delivery SET next_attempt_at = NULL, lease_until = NULL, lease_owner = NULL ' +
        `WHERE lease_owner = ? AND id IN (${parked.map(() => '?').join(', ')})`,
      [owner, ...parked],
    );
  }
  return deliveries.flatMap((delivery) => {
    const endpoint = byId.get(delivery.endpointId);
    return endpoint?.enabled ? [{ delivery, endpoint }] : [];
  });
}

/** An endpoint enabled again: its parked deliveries are due now. */
export async function unparkDeliveries(
  manager: EntityManager,
  endpointId: string,
  now: number,
): Promise<void> {
  await manager.query(
    'UPDATE webhook_delivery SET next_attempt_at = ? WHERE endpoint_id = ? AND status = ? AND next_attempt_at IS NULL',
    [now, endpointId, 'PENDING'],
  );
}

export interface RetryPolicy {
  /** The wait before each retry; after the last, the delivery is FAILED. */
  retryScheduleMs: readonly number[];
  /** Consecutive failed attempts after which the endpoint is disabled. */
  disableAfterFailures: number;
}

/** When to try again after the `attempts`-th failed attempt; null once the schedule is spent. */
export function nextAttemptAfter(attempts: number, now: number, schedule: readonly number[]): number | null {
  const wait = schedule[attempts - 1];
  return wait === undefined ? null : now + wait;
}

/**
 * Records an attempt and its outcome in one transaction: the delivery log row, the delivery's
 * new state (DELIVERED, PENDING with the next time, or FAILED) and the endpoint's failure count;
 * the endpoint is disabled (with a `webhooks.endpoint-disabled` event) once the count reaches the
 * bound. Returns true when it disabled the endpoint.
 */
export async function recordAttempt(
  database: Database,
  clock: Clock,
  claimed: Claimed,
  owner: string,
  result: AttemptResult,
  policy: RetryPolicy,
): Promise<boolean> {
  const { delivery, endpoint } = claimed;
  const now = clock.now();
  return database.transaction(async (manager) => {
    await manager.insert(WebhookAttempt, {
      id: randomUUID(),
      deliveryId: delivery.id,
      attemptedAt: new Date(now.getTime() - result.latencyMs),
      statusCode: result.statusCode,
      success: result.success,
      latencyMs: result.latencyMs,
      responseExcerpt: result.responseExcerpt,
      error: result.error,
    });
    const attempts = delivery.attemptCount + 1;
    const next = result.success ? null : nextAttemptAfter(attempts, now.getTime(), policy.retryScheduleMs);
    await manager.query(
      'UPDATE webhook_delivery SET attempt_count = ?, status = ?, next_attempt_at = ?, delivered_at = ?, ' +
        'lease_until = NULL, lease_owner = NULL WHERE id = ? AND lease_owner = ?',
      [
        attempts,
        result.success ? 'DELIVERED' : next === null ? 'FAILED' : 'PENDING',
        next,
        result.success ? now.getTime() : (delivery.deliveredAt?.getTime() ?? null),
        delivery.id,
        owner,
      ],
    );
    if (result.success) {
      // Only when the claim saw failures: every success writing the endpoint row would serialise
      // all attempts to one endpoint on its row lock.
      if (endpoint.consecutiveFailures > 0) {
        await manager.query('UPDATE webhook_endpoint SET consecutive_failures = 0 WHERE id = ?', [
          endpoint.id,
        ]);
      }
      return false;
    }
    await manager.query(
      'UPDATE webhook_endpoint SET consecutive_failures = consecutive_failures + 1 WHERE id = ?',
      [endpoint.id],
    );
    const current = await manager.findOneBy(WebhookEndpoint, { id: endpoint.id });
    if (!current?.enabled || current.consecutiveFailures < policy.disableAfterFailures) return false;
    const reason = `Disabled after ${current.consecutiveFailures} consecutive failed attempts (last: ${
      result.statusCode === null ? (result.error ?? 'no answer') : `HTTP ${result.statusCode}`
    })`.slice(0, 500);
    await manager.update(
      WebhookEndpoint,
      { id: endpoint.id },
      { enabled: false, disabledReason: reason, disabledAt: now, updatedAt: now },
    );
    const notice: WebhookEndpointDisabledPayload = {
      endpointId: endpoint.id,
      accountId: endpoint.accountId,
      url: endpoint.url,
      reason,
      consecutiveFailures: current.consecutiveFailures,
      disabledAt: now.toISOString(),
    };
    await recordEvent(manager, clock, Topics.WebhookEndpointDisabled, notice, now);
    return true;
  });
}
