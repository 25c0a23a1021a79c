import {
  type Config,
  type RuntimeOverrides,
  type ServiceHandle,
  Topics,
  createRuntime,
  startSubgraphServer,
} from '@lic/shared';
import { BillingServer } from './account/billing-server.entity.js';
import { createContext, type Services } from './context.js';
import { entities } from './entities.js';
import { migrations } from './migrations/index.js';
import { buildBillingSchema } from './schema.js';

export interface BillingServerHandle extends ServiceHandle {
  services: Services;
}

export async function createServer(config: Config, overrides: RuntimeOverrides = {}): Promise<BillingServerHandle> {
  const runtime = await createRuntime('billing', config, { entities, migrations }, overrides);
  const services: Services = {};
  await runtime.bus.consume(Topics.ServerRegistered, async (event, manager) => {
    const payload = event.payload as { serverId?: unknown; accountId?: unknown };
    if (typeof payload.serverId !== 'string' || typeof payload.accountId !== 'string') {
      runtime.logger.error({ eventId: event.id }, 'server-registered event without serverId/accountId ignored');
      return;
    }
    if (await manager.existsBy(BillingServer, { serverId: payload.serverId })) return;
    await manager.insert(BillingServer, { serverId: payload.serverId, accountId: payload.accountId });
  });
  const { schema } = await buildBillingSchema({ clock: runtime.clock });
  runtime.bus.start();
  const handle = await startSubgraphServer({
    name: 'billing',
    config,
    port: config.ports.billing,
    schema,
    logger: runtime.logger,
    verifier: runtime.verifier,
    createContext: (principal) => createContext(services, principal),
    ready: async () => (await runtime.db.dataSource.query('SELECT 1')).length === 1,
    onClose: () => runtime.close(),
  });
  return { ...handle, services };
}
