import { Redis } from 'ioredis';
import {
  API_KEY_VERIFY_PATH,
  type Config,
  type RuntimeOverrides,
  type SubgraphHandle,
  createRevocationChannel,
  createRuntime,
  resolveSigningKeys,
} from '@lic/shared';
import { AccountService } from './account/account.service.js';
import { ApiKeyService } from './api-key/api-key.service.js';
import { AuditService } from './audit/audit.service.js';
import { ActivationFileService } from './activation-file/activation-file.service.js';
import { ExpiryWarnings } from './activation-file/expiry-warnings.js';
import { createContext, type Services } from './context.js';
import { entities } from './entities.js';
import { eventHandlers } from './events.js';
import { InstallSiteService } from './install-site/install-site.service.js';
import { migrations } from './migrations/index.js';
import { PartService } from './part/part.service.js';
import { ActivationFileRequestService } from './request/request.service.js';
import { SalesOrderService } from './sales-order/sales-order.service.js';
import { buildAccountsSchema } from './schema.js';
import { WebhookService } from './webhook/webhook.service.js';

export interface AccountsServer extends SubgraphHandle {
  services: Services;
  /** The key servers verify activation files with. */
  licensePublicKeyPem: string;
}

export async function createServer(
  config: Config,
  overrides: RuntimeOverrides = {},
): Promise<AccountsServer> {
  const keys = resolveSigningKeys(config);
  const runtime = await createRuntime('accounts', config, { entities, migrations }, overrides);
  const database = runtime.db;
  const parts = new PartService(database);
  await parts.load();
  const catalog = () => parts.catalog;
  // A revoked API key's sockets close on every gateway replica (Redis pub/sub in distributed mode).
  const revocations = createRevocationChannel(config, (url) => new Redis(url, { maxRetriesPerRequest: 1 }));
  const files = new ActivationFileService(database, runtime.clock, catalog, keys.privateKeyPem);
  const services: Services = {
    pageBounds: config.pagination,
    clock: runtime.clock,
    accounts: new AccountService(database, runtime.clock),
    parts,
    sites: new InstallSiteService(database, runtime.clock),
    orders: new SalesOrderService(database, runtime.clock, catalog),
    files,
    requests: new ActivationFileRequestService(database, runtime.clock, files),
    webhooks: new WebhookService(database, runtime.clock, { allowLoopback: config.webhooks.allowLoopback }),
    expiryWarnings: new ExpiryWarnings(database, runtime.clock, runtime.logger),
    apiKeys: new ApiKeyService(database, runtime.clock, {
      lastUsedIntervalMs: config.apiKeys.lastUsedIntervalSeconds * 1000,
      revocations,
    }),
    audit: new AuditService(database),
  };
  const { schema } = await buildAccountsSchema(services);
  await runtime.bus.consumeAll(eventHandlers(services));
  const partners = await services.orders.announcePartnerCustomers();
  runtime.logger.info({ partners }, 'partner customers announced');
  runtime.bus.start();
  services.expiryWarnings.start(config.licenseExpiryTickSeconds * 1000);
  const handle = await runtime.serve({
    port: config.ports.accounts,
    schema,
    createContext: (principal) => createContext(services, principal),
    internalRoutes: {
      [API_KEY_VERIFY_PATH]: async (body) => {
        const hash = (body as { hash?: unknown } | null)?.hash;
        if (typeof hash !== 'string' || !/^[0-9a-f]{64}$/.test(hash)) return { ok: false, reason: 'unknown' };
        return services.apiKeys.verify(hash);
      },
    },
    stop: async () => {
      await services.expiryWarnings.stop();
      await revocations.close();
    },
  });
  return {
    ...handle,
    services,
    database,
    licensePublicKeyPem: keys.publicKeyPem,
  };
}
