import {
  type Config,
  type RuntimeOverrides,
  type ServiceHandle,
  Topics,
  createRuntime,
  startSubgraphServer,
} from '@lic/shared';
import { createContext, type Services } from './context.js';
import { entities } from './entities.js';
import { migrations } from './migrations/index.js';
import { buildEnforcementSchema } from './schema.js';
import { EnforcementService } from './status/enforcement.service.js';

export interface EnforcementServerHandle extends ServiceHandle {
  services: Services;
}

export async function createServer(config: Config, overrides: RuntimeOverrides = {}): Promise<EnforcementServerHandle> {
  const runtime = await createRuntime('enforcement', config, { entities, migrations }, overrides);
  const services: Services = { enforcement: new EnforcementService(runtime.db.dataSource, runtime.clock) };
  await runtime.bus.consume(Topics.ServerRegistered, async (event, manager) => {
    const payload = event.payload as { serverId?: unknown; accountId?: unknown };
    if (typeof payload.serverId !== 'string' || typeof payload.accountId !== 'string') {
      runtime.logger.error({ eventId: event.id }, 'server-registered event without serverId/accountId ignored');
      return;
    }
    await services.enforcement.onServerRegistered(manager, { serverId: payload.serverId, accountId: payload.accountId });
  });
  const { schema } = await buildEnforcementSchema(services);
  runtime.bus.start();
  const handle = await startSubgraphServer({
    name: 'enforcement',
    config,
    port: config.ports.enforcement,
    schema,
    logger: runtime.logger,
    verifier: runtime.verifier,
    createContext: (principal) => createContext(services, principal),
    ready: async () => (await runtime.db.dataSource.query('SELECT 1')).length === 1,
    onClose: () => runtime.close(),
  });
  return { ...handle, services };
}
