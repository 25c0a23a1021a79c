import { randomUUID } from 'node:crypto';
import { In, type DataSource, type EntityManager } from 'typeorm';
import { type Clock, Topics, type WebhookEndpointDisabledPayload, recordEvent } from '@lic/shared';
import { WebhookAttempt, WebhookDelivery, WebhookEndpoint } from './webhook.entity.js';
import { type AttemptResult } from './sender.js';

/** A delivery's id, sent as `webhook-id`: receivers deduplicate on it (a redelivery keeps it). */
export function newMessageId(): string {
  return `msg_${randomUUID().replaceAll('-', '')}`;
}

/**
 * Creates one PENDING delivery per enabled endpoint of the account subscribed to `type`, in the
 * caller's transaction (the event's inbox record commits with them). Returns how many.
 */
export async function recordDeliveries(
  manager: EntityManager,
  now: Date,
  message: { accountId: string; type: string; eventId: string; body: string },
): Promise<number> {
  const endpoints = await manager.find(WebhookEndpoint, {
    where: { accountId: message.accountId, enabled: true },
  });
  const wanted = endpoints.filter((e) => e.eventTypes.includes(message.type));
  if (wanted.length === 0) return 0;
  await manager.insert(
    WebhookDelivery,
    wanted.map((endpoint) => ({
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
  return wanted.length;
}

export interface Claimed {
  delivery: WebhookDelivery;
  endpoint: WebhookEndpoint;
}

/**
 * Claims up to `limit` due deliveries of enabled endpoints for `owner` until `now + leaseMs`.
 * MariaDB: `SELECT … FOR UPDATE SKIP LOCKED`, so any number of workers claim disjoint rows; a
 * lease that runs out (its worker died) makes the row due again. SQLite: one process, and its
 * transactions run one after another.
 */
export async function claimDue(
  dataSource: DataSource,
  owner: string,
  limit: number,
  now: number,
  leaseMs: number,
): Promise<Claimed[]> {
  const mariadb = dataSource.options.type !== 'better-sqlite3';
  const ids = await dataSource.transaction(async (manager) => {
    const rows = (await manager.query(
      'SELECT d.id FROM webhook_delivery d WHERE d.status = ? AND d.next_attempt_at <= ? ' +
        'AND (d.lease_until IS NULL OR d.lease_until < ?) ' +
        'AND d.endpoint_id IN (SELECT e.id FROM webhook_endpoint e WHERE e.enabled = 1) ' +
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
  return deliveries.flatMap((delivery) => {
    const endpoint = byId.get(delivery.endpointId);
    return endpoint ? [{ delivery, endpoint }] : [];
  });
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
  dataSource: DataSource,
  clock: Clock,
  claimed: Claimed,
  owner: string,
  result: AttemptResult,
  policy: RetryPolicy,
): Promise<boolean> {
  const { delivery, endpoint } = claimed;
  const now = clock.now();
  return dataSource.transaction(async (manager) => {
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
      await manager.query('UPDATE webhook_endpoint SET consecutive_failures = 0 WHERE id = ?', [endpoint.id]);
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
