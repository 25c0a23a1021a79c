import { type EventHandlers, Topics } from '@lic/shared';
import { type Services } from './context.js';

/**
 * Every event this subgraph consumes, and where it goes. Each handler runs in the consumer's
 * transaction, which also records the event as applied (a redelivery is skipped). The webhook
 * worker consumes the events it turns into deliveries on its own (webhook/worker.ts).
 */
export function eventHandlers({ audit }: Services): EventHandlers {
  return {
    // The audit log: entries from every subgraph's outbox (this one's included), stored once each.
    [Topics.AuditRecorded]: (payload, _event, manager) => audit.record(manager, payload),
  };
}
