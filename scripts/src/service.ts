import 'reflect-metadata';
import { createServer as createAccounts } from '@lic/accounts';
import { createServer as createAllocation } from '@lic/allocation';
import { createServer as createBilling } from '@lic/billing';
import { createServer as createEnforcement } from '@lic/enforcement';
import { createGateway } from '@lic/gateway';
import { type Config, ConfigError, type ServiceHandle, loadConfig } from '@lic/shared';

const starters: Record<string, (config: Config) => Promise<ServiceHandle>> = {
  accounts: createAccounts,
  allocation: createAllocation,
  billing: createBilling,
  enforcement: createEnforcement,
  gateway: createGateway,
};

/** Distributed mode: `node scripts/dist/service.js <name>` runs one service in this process. */
async function main(): Promise<void> {
  const name = process.argv[2] ?? '';
  const start = starters[name];
  if (!start) {
    console.error(`usage: service.js <${Object.keys(starters).join('|')}>`);
    process.exit(2);
  }
  const config = loadConfig();
  const handle = await start(config);
  console.log(JSON.stringify({ level: 'info', service: name, msg: 'ready', url: handle.url }));
  const stop = async () => {
    await handle.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
