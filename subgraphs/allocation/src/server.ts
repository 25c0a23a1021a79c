import { type Config, type RuntimeOverrides, type ServiceHandle, createRuntime, startSubgraphServer } from '@lic/shared';
import { createContext, type Services } from './context.js';
import { entities } from './entities.js';
import { migrations } from './migrations/index.js';
import { buildAllocationSchema } from './schema.js';
import { ServerService } from './server/server.service.js';

export interface AllocationServer extends ServiceHandle {
  services: Services;
}

export async function createServer(config: Config, overrides: RuntimeOverrides = {}): Promise<AllocationServer> {
  const runtime = await createRuntime('allocation', config, { entities, migrations }, overrides);
  const services: Services = { servers: new ServerService(runtime.db.dataSource, runtime.clock) };
  const { schema } = await buildAllocationSchema(services);
  runtime.bus.start();
  const handle = await startSubgraphServer({
    name: 'allocation',
    config,
    port: config.ports.allocation,
    schema,
    logger: runtime.logger,
    verifier: runtime.verifier,
    createContext: (principal) => createContext(services, principal),
    ready: async () => (await runtime.db.dataSource.query('SELECT 1')).length === 1,
    onClose: () => runtime.close(),
  });
  return { ...handle, services };
}
