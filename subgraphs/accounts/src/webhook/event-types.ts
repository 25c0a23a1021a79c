import { registerEnumType } from 'type-graphql';
import { type DomainEvent, type EventContractTopic, Topics, parsePayload } from '@lic/shared';

/** The event types an endpoint subscribes to; the value is the `type` of the body sent. */
export enum WebhookEventType {
  STAGE_CHANGED = 'enforcement.stage_changed',
  ACTIVATION_FILE_GENERATED = 'activation_file.generated',
  ACTIVATION_FILE_UPDATED = 'activation_file.updated',
  ACTIVATION_FILE_DEACTIVATED = 'activation_file.deactivated',
  SERVER_REGISTERED = 'server.registered',
  LICENSE_EXPIRING = 'license.expiring',
  ENDPOINT_DISABLED = 'webhook.endpoint_disabled',
  POOL_EXHAUSTED = 'pool.exhausted',
  DENIAL_BURST = 'pool.denial_burst',
  USAGE_UPLOAD_OVERDUE = 'usage.upload_overdue',
}

registerEnumType(WebhookEventType, {
  name: 'WebhookEventType',
  description: 'What a webhook endpoint may subscribe to (the body carries the value as `type`)',
  valuesConfig: {
    STAGE_CHANGED: { description: "A server's enforcement stage changed (enforcement.stage_changed)" },
    ACTIVATION_FILE_GENERATED: {
      description: 'An activation file was generated (activation_file.generated)',
    },
    ACTIVATION_FILE_UPDATED: { description: 'An activation file was updated (activation_file.updated)' },
    ACTIVATION_FILE_DEACTIVATED: {
      description: 'An activation file was deactivated (activation_file.deactivated)',
    },
    SERVER_REGISTERED: { description: 'A CIC server was registered (server.registered)' },
    LICENSE_EXPIRING: {
      description: 'An activation file comes within 30, 7 or 1 days of its expiry (license.expiring)',
    },
    ENDPOINT_DISABLED: {
      description:
        'Another endpoint of the account was disabled after repeated failures (webhook.endpoint_disabled)',
    },
    POOL_EXHAUSTED: {
      description:
        "A server's licence pool ran out: a logon or assignment was refused for it; once until the pool has room again (pool.exhausted)",
    },
    DENIAL_BURST: {
      description:
        'Denials of one licence on one server reached the burst threshold within its window; once per burst (pool.denial_burst)',
    },
    USAGE_UPLOAD_OVERDUE: {
      description:
        "A server's usage for a billing period was missing at its upload deadline, or uploaded after it; once per server and period (usage.upload_overdue)",
    },
  },
});

/** The type of the body "send test event" sends (to any endpoint, whatever it subscribes to). */
export const TEST_EVENT_TYPE = 'webhook.test';

export const WEBHOOK_EVENT_TYPES: readonly string[] = Object.values(WebhookEventType);

/** What a platform event becomes for the account's endpoints. */
export interface WebhookMessage {
  accountId: string;
  type: WebhookEventType;
  data: Record<string, unknown>;
}

interface Mapping {
  type: WebhookEventType;
  /** The part of the payload partners see (drop what is large or internal). */
  data(payload: Record<string, unknown>): Record<string, unknown>;
}

const whole = (payload: Record<string, unknown>) => payload;

/** Platform topics and the webhook event type each becomes. */
const MAPPINGS: Partial<Record<EventContractTopic, Mapping>> = {
  [Topics.StageChanged]: { type: WebhookEventType.STAGE_CHANGED, data: whole },
  [Topics.ActivationFileGenerated]: { type: WebhookEventType.ACTIVATION_FILE_GENERATED, data: whole },
  [Topics.ActivationFileUpdated]: {
    type: WebhookEventType.ACTIVATION_FILE_UPDATED,
    // The signed content can reach a megabyte: the partner downloads it through the API.
    data: ({ content: _content, ...rest }) => rest,
  },
  [Topics.ActivationFileDeactivated]: { type: WebhookEventType.ACTIVATION_FILE_DEACTIVATED, data: whole },
  [Topics.ServerRegistered]: { type: WebhookEventType.SERVER_REGISTERED, data: whole },
  [Topics.LicenseExpiring]: { type: WebhookEventType.LICENSE_EXPIRING, data: whole },
  [Topics.WebhookEndpointDisabled]: { type: WebhookEventType.ENDPOINT_DISABLED, data: whole },
  [Topics.PoolExhausted]: { type: WebhookEventType.POOL_EXHAUSTED, data: whole },
  [Topics.DenialBurst]: { type: WebhookEventType.DENIAL_BURST, data: whole },
  [Topics.UsageUploadOverdue]: { type: WebhookEventType.USAGE_UPLOAD_OVERDUE, data: whole },
};

/** The platform topics the webhook worker consumes. */
export const WEBHOOK_SOURCE_TOPICS = Object.keys(MAPPINGS) as EventContractTopic[];

/** The webhook message of a platform event; undefined for a topic not mapped or a malformed payload. */
export function webhookMessageOf(event: DomainEvent): WebhookMessage | undefined {
  const topic = event.topic as EventContractTopic;
  const mapping = MAPPINGS[topic];
  if (!mapping) return undefined;
  const parsed = parsePayload(topic, event.payload);
  if (!parsed.ok) return undefined;
  const payload = parsed.value as Record<string, unknown>;
  const accountId = payload['accountId'];
  if (typeof accountId !== 'string') return undefined;
  return { accountId, type: mapping.type, data: mapping.data(payload) };
}

/** The body POSTed, as Standard Webhooks recommends: `{ type, timestamp, data }`. */
export function webhookBody(type: string, occurredAt: string, data: Record<string, unknown>): string {
  return JSON.stringify({ type, timestamp: occurredAt, data });
}
