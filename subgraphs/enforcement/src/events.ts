import { type EventHandlers, Topics, applyPartnerCustomers } from '@lic/shared';
import { type Services } from './context.js';
import { publishStageChange } from './history/live.js';

/**
 * Every event this subgraph consumes, and where it goes. Each handler runs in the consumer's
 * transaction, which also records the event as applied (a redelivery is skipped).
 */
export function eventHandlers({ enforcement, checkIns, standing, live }: Services): EventHandlers {
  return {
    [Topics.ServerRegistered]: (payload, _event, manager) => enforcement.onServerRegistered(manager, payload),
    [Topics.LicenseFileLoaded]: (payload, _event, manager) =>
      enforcement.onLicenseFileLoaded(manager, payload),
    [Topics.ServerCredentialIssued]: (payload, _event, manager) =>
      enforcement.onServerCredentialIssued(manager, payload),
    [Topics.ServerStarted]: (payload, _event, manager) => checkIns.onServerStarted(manager, payload),
    // The facts of good standing: each file's current revision and deactivation, and the accounts.
    [Topics.ActivationFileUpdated]: (payload, _event, manager) =>
      standing.onActivationFileUpdated(manager, payload),
    [Topics.ActivationFileDeactivated]: (payload, _event, manager) =>
      standing.onActivationFileDeactivated(manager, payload),
    [Topics.AccountCreated]: (payload, _event, manager) => standing.onAccountCreated(manager, payload),
    [Topics.PartnerCustomersChanged]: async (payload, _event, manager) => {
      await applyPartnerCustomers(manager, payload);
    },
    // Subscribers hear of a change once it is committed and in the outbox: whichever replica
    // relays it publishes it, and the PubSub carries it to subscribers on every replica.
    [Topics.StageChanged]: async (payload) => publishStageChange(live, payload),
  };
}
