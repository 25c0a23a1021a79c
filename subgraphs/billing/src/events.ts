import { type EntityManager } from 'typeorm';
import {
  type DomainEvent,
  type EventHandlers,
  type SessionEndedPayload,
  type SessionStartedPayload,
  Topics,
  afterCommit,
  applyPartnerCustomers,
} from '@lic/shared';
import { type Services } from './context.js';

/**
 * Every event this subgraph consumes, and where it goes. Each handler runs in the consumer's
 * transaction, which also records the events as applied (a redelivery is skipped). What changes a
 * user's usage wakes the usage deriver once it has committed.
 */
export function eventHandlers({ accounts, tracking, ingest, deriver }: Services): EventHandlers {
  const derive = () => deriver.kick();
  const sessions = async (
    kind: 'logon' | 'logoff',
    items: Array<{ payload: SessionStartedPayload | SessionEndedPayload; event: DomainEvent }>,
    manager: EntityManager,
  ): Promise<void> => {
    await ingest.sessionEvents(
      manager,
      kind,
      items.map(({ payload, event }) => ({ eventId: event.id, payload })),
    );
    afterCommit(manager, derive);
  };
  return {
    [Topics.PartnerCustomersChanged]: async (payload, _event, manager) => {
      await applyPartnerCustomers(manager, payload);
    },
    [Topics.AccountCreated]: (payload, _event, manager) =>
      accounts.accountCreated(manager, payload.accountId),
    [Topics.ServerRegistered]: (payload, _event, manager) => tracking.serverRegistered(manager, payload),
    [Topics.LicenseFileLoaded]: async (payload, event, manager) => {
      await tracking.licenseFileLoaded(manager, event.id, payload);
      afterCommit(manager, derive);
    },
    [Topics.ServerStarted]: (payload, event, manager) => tracking.serverStarted(manager, event.id, payload),
    // Logons and logoffs arrive many a second under load: applied in batches, one commit each.
    [Topics.SessionStarted]: { batch: (items, manager) => sessions('logon', items, manager) },
    [Topics.SessionEnded]: { batch: (items, manager) => sessions('logoff', items, manager) },
  };
}
