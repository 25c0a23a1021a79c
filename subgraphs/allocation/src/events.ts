import { type EventHandlers, Topics, applyPartnerCustomers } from '@lic/shared';
import { type EnforcementEffects } from './enforcement/enforcement.consumer.js';
import { type LicenseService } from './license/license.service.js';
import { type ServerService } from './server/server.service.js';

/**
 * Every event this subgraph consumes, and where it goes. Each handler runs in the consumer's
 * transaction, which also records the event as applied (a redelivery is skipped).
 */
export function eventHandlers(deps: {
  enforcement: EnforcementEffects;
  licenses: LicenseService;
  servers: ServerService;
}): EventHandlers {
  const { enforcement, licenses, servers } = deps;
  return {
    // Stage changes turn supervisor licences and call ports off and on, and unlicense stage 6.
    [Topics.StageChanged]: (payload, _event, manager) => enforcement.apply(manager, payload),
    [Topics.ActivationFileDeactivated]: (payload, _event, manager) =>
      licenses.withdrawFile(manager, payload.fileId, payload.accountId, new Date(payload.deactivatedAt)),
    [Topics.ActivationFileUpdated]: (payload, _event, manager) => licenses.applyRevision(manager, payload),
    [Topics.PartnerCustomersChanged]: async (payload, _event, manager) => {
      await applyPartnerCustomers(manager, payload);
    },
    [Topics.InstallSiteChanged]: (payload, _event, manager) => servers.installSiteChanged(manager, payload),
  };
}
