import {
  type Config,
  type Database,
  type RuntimeOverrides,
  type ServiceHandle,
  createRuntime,
  resolveSigningKeys,
  Topics,
  startSubgraphServer,
} from '@lic/shared';
import { AccountService } from './account/account.service.js';
import { AuditService } from './audit/audit.service.js';
import { ActivationFileService } from './activation-file/activation-file.service.js';
import { createContext, type Services } from './context.js';
import { entities } from './entities.js';
import { InstallSiteService } from './install-site/install-site.service.js';
import { migrations } from './migrations/index.js';
import { PartService } from './part/part.service.js';
import { ActivationFileRequestService } from './request/request.service.js';
import { SalesOrderService } from './sales-order/sales-order.service.js';
import { buildAccountsSchema } from './schema.js';

export interface AccountsServer extends ServiceHandle {
  services: Services;
  /** The subgraph's database (tests count its statements). */
  db: Database;
  /** The key servers verify activation files with. */
  licensePublicKeyPem: string;
}

export async function createServer(
  config: Config,
  overrides: RuntimeOverrides = {},
): Promise<AccountsServer> {
  const keys = resolveSigningKeys(config);
  const runtime = await createRuntime('accounts', config, { entities, migrations }, overrides);
  const { dataSource } = runtime.db;
  const kick = () => runtime.bus.relay.kick();
  const parts = new PartService(dataSource);
  await parts.load();
  const catalog = () => parts.catalog;
  const files = new ActivationFileService(dataSource, runtime.clock, catalog, keys.privateKeyPem, kick);
  const services: Services = {
    clock: runtime.clock,
    accounts: new AccountService(dataSource, runtime.clock, kick),
    parts,
    sites: new InstallSiteService(dataSource, runtime.clock, kick),
    orders: new SalesOrderService(dataSource, runtime.clock, catalog),
    files,
    requests: new ActivationFileRequestService(dataSource, runtime.clock, files),
    audit: new AuditService(dataSource),
  };
  const { schema } = await buildAccountsSchema(services);
  // The audit log: entries from every subgraph's outbox (this one's included), stored once each.
  await runtime.bus.consumeTyped(Topics.AuditRecorded, (payload, _event, manager) =>
    services.audit.record(manager, payload),
  );
  runtime.bus.start();
  const handle = await startSubgraphServer({
    name: 'accounts',
    config,
    port: config.ports.accounts,
    schema,
    logger: runtime.logger,
    verifier: runtime.verifier,
    createContext: (principal) => createContext(services, principal),
    readiness: runtime.readiness,
    audit: runtime.audit,
    onClose: () => runtime.close(),
  });
  return { ...handle, services, db: runtime.db, licensePublicKeyPem: keys.publicKeyPem };
}
