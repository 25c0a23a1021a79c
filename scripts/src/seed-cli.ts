import 'reflect-metadata';
import { ConfigError, loadConfig, signToken } from '@lic/shared';
import { seedDemoData } from './seed.js';

/** `npm run seed`: demo data through a running gateway (distributed mode seeds on demand). */
async function main(): Promise<void> {
  const config = loadConfig();
  const url = `http://127.0.0.1:${config.ports.gateway}/graphql`;
  const token = await signToken(config, { sub: 'seed', roles: ['LICENSING_ADMIN'], certified: true }, 3600);
  const summary = await seedDemoData(url, token);
  console.log(JSON.stringify(summary, null, 2));
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
