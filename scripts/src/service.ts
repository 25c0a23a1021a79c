import 'reflect-metadata';
import {
  type Config,
  ConfigError,
  type ServiceHandle,
  createLogger,
  exitOnSignals,
  loadConfig,
  stopTracing,
} from '@lic/shared/core';

/** Only the requested service's package is loaded: a distributed process carries nothing else. */
const starters: Record<string, () => Promise<(config: Config) => Promise<ServiceHandle>>> = {
  accounts: async () => (await import('@lic/accounts')).createServer,
  allocation: async () => (await import('@lic/allocation')).createServer,
  billing: async () => (await import('@lic/billing')).createServer,
  enforcement: async () => (await import('@lic/enforcement')).createServer,
  gateway: async () => (await import('@lic/gateway')).createGateway,
  /** The webhook delivery worker: any number of them share the work. */
  webhooks: async () => (await import('@lic/accounts')).createWebhookWorker,
};

/** Distributed mode: `node scripts/dist/service.js <name>` runs one service in this process. */
async function main(): Promise<void> {
  const name = process.argv[2] ?? '';
  const load = starters[name];
  if (!load) {
    console.error(`usage: service.js <${Object.keys(starters).join('|')}>`);
    process.exit(2);
  }
  const config = loadConfig();
  const start = await load();
  const handle = await start(config);
  console.log(JSON.stringify({ level: 'info', service: name, msg: 'ready', url: handle.url }));
  // SIGTERM or SIGINT: readiness answers stopping, requests in flight finish (SHUTDOWN_GRACE_MS),
  // the outbox is flushed, buffered spans are sent, then exit 0; a second signal exits at once.
  exitOnSignals({
    logger: createLogger(name, config.logLevel),
    graceMs: config.shutdownGraceMs,
    stop: async () => {
      await handle.close();
      await stopTracing();
    },
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
