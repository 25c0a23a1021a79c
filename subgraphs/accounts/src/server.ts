import { type Config, type RuntimeOverrides, type ServiceHandle, createRuntime, startSubgraphServer } from '@lic/shared';
import { AccountService } from './account/account.service.js';
import { createContext, type Services } from './context.js';
import { entities } from './entities.js';
import { migrations } from './migrations/index.js';
import { buildAccountsSchema } from './schema.js';

export interface AccountsServer extends ServiceHandle {
  services: Services;
}

export async function createServer(config: Config, overrides: RuntimeOverrides = {}): Promise<AccountsServer> {
  const runtime = await createRuntime('accounts', config, { entities, migrations }, overrides);
  const services: Services = { accounts: new AccountService(runtime.db.dataSource, runtime.clock) };
  const { schema } = await buildAccountsSchema(services);
  runtime.bus.start();
  const handle = await startSubgraphServer({
    name: 'accounts',
    config,
    port: config.ports.accounts,
    schema,
    logger: runtime.logger,
    verifier: runtime.verifier,
    createContext: (principal) => createContext(services, principal),
    ready: async () => (await runtime.db.dataSource.query('SELECT 1')).length === 1,
    onClose: () => runtime.close(),
  });
  return { ...handle, services };
}
