import { randomUUID } from 'node:crypto';
import { In } from 'typeorm';
import {
  type Clock,
  type Connection,
  type PageArgs,
  type PageBounds,
  type SqlOrder,
  badInput,
  canConfigureAccount,
  forbidden,
  notFound,
  pageFromQuery,
  parseInput,
  type Database,
} from '@lic/shared';
import { type TenantScope } from '../access/tenant-scope.js';
import { Account } from '../account/account.entity.js';
import { TEST_EVENT_TYPE, webhookBody } from './event-types.js';
import { newSigningSecret } from './sender.js';
import { newMessageId, unparkDeliveries } from './store.js';
import { type UrlPolicy, checkWebhookUrl } from './url-policy.js';
import { WebhookAttempt, WebhookDelivery, WebhookEndpoint } from './webhook.entity.js';
import {
  type CreateWebhookEndpoint,
  type UpdateWebhookEndpoint,
  createWebhookEndpointSchema,
  updateWebhookEndpointSchema,
} from './webhook.inputs.js';

/** Deliveries newest first; cursors of `webhookDeliveries`. */
export const DELIVERY_ORDER: SqlOrder<WebhookDelivery> = {
  list: 'webhookDeliveries',
  direction: 'DESC',
  key: (d) => d.createdAt.getTime(),
  id: (d) => d.id,
  keyColumn: 'd.created_at',
  idColumn: 'd.id',
};

/** Who manages an account's webhooks: its administrators and partner for their own account, the licensing team for any. */
const WEBHOOK_MANAGERS = ['LICENSING_ADMIN', 'CUSTOMER_ADMIN', 'PARTNER'] as const;
/** Endpoints per account. */
export const MAX_ENDPOINTS_PER_ACCOUNT = 20;

export class WebhookService {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    private readonly urlPolicy: UrlPolicy,
  ) {}

  private assertManager(scope: TenantScope, accountId: string): void {
    const principal = scope.requireRole(...WEBHOOK_MANAGERS);
    if (!canConfigureAccount(principal, accountId)) {
      throw forbidden("Only the account's own administrators manage its webhooks");
    }
  }

  async endpoints(scope: TenantScope, accountId: string): Promise<WebhookEndpoint[]> {
    this.assertManager(scope, accountId);
    return this.database.dataSource
      .getRepository(WebhookEndpoint)
      .find({ where: { accountId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  async endpoint(scope: TenantScope, id: string): Promise<WebhookEndpoint> {
    const endpoint = await this.database.dataSource.getRepository(WebhookEndpoint).findOneBy({ id });
    if (!endpoint) throw notFound('Webhook endpoint', id);
    this.assertManager(scope, endpoint.accountId);
    return endpoint;
  }

  async create(
    scope: TenantScope,
    input: CreateWebhookEndpoint,
  ): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
    this.assertManager(scope, input.accountId);
    const url = (await checkWebhookUrl(input.url, this.urlPolicy)).toString();
    const { eventTypes, description } = parseInput(createWebhookEndpointSchema, input);
    if (!(await this.database.dataSource.getRepository(Account).existsBy({ id: input.accountId }))) {
      throw notFound('Account', input.accountId);
    }
    const count = await this.database.dataSource
      .getRepository(WebhookEndpoint)
      .countBy({ accountId: input.accountId });
    if (count >= MAX_ENDPOINTS_PER_ACCOUNT) {
      throw badInput(`An account has at most ${MAX_ENDPOINTS_PER_ACCOUNT} webhook endpoints`, 'accountId');
    }
    const now = this.clock.now();
    const endpoint: WebhookEndpoint = {
      id: randomUUID(),
      accountId: input.accountId,
      url,
      description,
      eventTypes,
      secret: newSigningSecret(),
      enabled: true,
      disabledReason: null,
      disabledAt: null,
      consecutiveFailures: 0,
      createdAt: now,
      updatedAt: now,
    };
    await this.database.dataSource.getRepository(WebhookEndpoint).insert({ ...endpoint });
    return { endpoint, secret: endpoint.secret };
  }

  async update(scope: TenantScope, id: string, input: UpdateWebhookEndpoint): Promise<WebhookEndpoint> {
    const endpoint = await this.endpoint(scope, id);
    const now = this.clock.now();
    const changes: Partial<WebhookEndpoint> = { updatedAt: now };
    if (input.url !== undefined && input.url !== null) {
      changes.url = (await checkWebhookUrl(input.url, this.urlPolicy)).toString();
    }
    const parsed = parseInput(updateWebhookEndpointSchema, input);
    if (parsed.eventTypes !== undefined && parsed.eventTypes !== null) changes.eventTypes = parsed.eventTypes;
    if (input.description !== undefined) changes.description = parsed.description ?? null;
    if (input.enabled === true && !endpoint.enabled) {
      Object.assign(changes, {
        enabled: true,
        disabledReason: null,
        disabledAt: null,
        consecutiveFailures: 0,
      });
    } else if (input.enabled === false && endpoint.enabled) {
      Object.assign(changes, { enabled: false, disabledReason: 'Disabled by hand', disabledAt: now });
    }
    await this.database.transaction(async (manager) => {
      await manager.update(WebhookEndpoint, { id }, changes);
      if (changes.enabled === true) await unparkDeliveries(manager, id, now.getTime());
    });
    return { ...endpoint, ...changes };
  }

  /** Deletes the endpoint with its deliveries and their attempts. */
  async delete(scope: TenantScope, id: string): Promise<boolean> {
    await this.endpoint(scope, id);
    await this.database.transaction(async (manager) => {
      const deliveries = await manager.find(WebhookDelivery, {
        select: { id: true },
        where: { endpointId: id },
      });
      for (let i = 0; i < deliveries.length; i += 500) {
        const ids = deliveries.slice(i, i + 500).map((d) => d.id);
        await manager.delete(WebhookAttempt, { deliveryId: In(ids) });
      }
      await manager.delete(WebhookDelivery, { endpointId: id });
      await manager.delete(WebhookEndpoint, { id });
    });
    return true;
  }

  /** A new secret at once (the old one stops signing); returned this once. */
  async rotateSecret(scope: TenantScope, id: string): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
    const endpoint = await this.endpoint(scope, id);
    const secret = newSigningSecret();
    const updatedAt = this.clock.now();
    await this.database.dataSource.getRepository(WebhookEndpoint).update({ id }, { secret, updatedAt });
    return { endpoint: { ...endpoint, secret, updatedAt }, secret };
  }

  /** Queues a `webhook.test` delivery to the endpoint (whatever it subscribes to). */
  async sendTestEvent(scope: TenantScope, id: string): Promise<WebhookDelivery> {
    const endpoint = await this.endpoint(scope, id);
    if (!endpoint.enabled) throw badInput('The endpoint is disabled: enable it first', 'id');
    const now = this.clock.now();
    const eventId = randomUUID();
    const delivery: WebhookDelivery = {
      id: newMessageId(),
      endpointId: endpoint.id,
      accountId: endpoint.accountId,
      eventId,
      eventType: TEST_EVENT_TYPE,
      payload: webhookBody(TEST_EVENT_TYPE, now.toISOString(), {
        endpointId: endpoint.id,
        accountId: endpoint.accountId,
        message: 'This is a test event sent from the licensing platform',
      }),
      status: 'PENDING',
      attemptCount: 0,
      nextAttemptAt: now,
      leaseUntil: null,
      leaseOwner: null,
      createdAt: now,
      deliveredAt: null,
    };
    await this.database.dataSource.getRepository(WebhookDelivery).insert({ ...delivery });
    return delivery;
  }

  /**
   * Sends a delivery again (same `webhook-id` and body), as soon as a worker is free. A delivery
   * whose retries ran out gets one more attempt.
   */
  async redeliver(scope: TenantScope, deliveryId: string): Promise<WebhookDelivery> {
    const delivery = await this.database.dataSource
      .getRepository(WebhookDelivery)
      .findOneBy({ id: deliveryId });
    if (!delivery) throw notFound('Webhook delivery', deliveryId);
    const endpoint = await this.endpoint(scope, delivery.endpointId);
    if (!endpoint.enabled) throw badInput('The endpoint is disabled: enable it first', 'id');
    if (delivery.status === 'PENDING') return delivery;
    const now = this.clock.now();
    await this.database.dataSource
      .getRepository(WebhookDelivery)
      .update(
        { id: deliveryId },
        { status: 'PENDING', nextAttemptAt: now, leaseUntil: null, leaseOwner: null },
      );
    return { ...delivery, status: 'PENDING', nextAttemptAt: now };
  }

  /** The endpoint's deliveries, newest first, as a connection ordered by (created, id). */
  async deliveries(
    scope: TenantScope,
    endpointId: string,
    args: PageArgs,
    bounds?: PageBounds,
  ): Promise<Connection<WebhookDelivery>> {
    await this.endpoint(scope, endpointId);
    const query = this.database.dataSource
      .getRepository(WebhookDelivery)
      .createQueryBuilder('d')
      .where('d.endpoint_id = :endpointId', { endpointId });
    return pageFromQuery(query, args, DELIVERY_ORDER, bounds);
  }

  /** The attempts of several deliveries, oldest first (a DataLoader batch). */
  async attemptsOf(deliveryIds: readonly string[]): Promise<WebhookAttempt[][]> {
    const rows =
      deliveryIds.length === 0
        ? []
        : await this.database.dataSource.getRepository(WebhookAttempt).find({
            where: { deliveryId: In([...deliveryIds]) },
            order: { attemptedAt: 'ASC', id: 'ASC' },
          });
    return deliveryIds.map((id) => rows.filter((r) => r.deliveryId === id));
  }
}
