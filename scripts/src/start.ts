import 'reflect-metadata';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError, loadConfig, signToken } from '@lic/shared';
import { startStack } from './embedded.js';
import { seedDemoData } from './seed.js';

/** `npm start`: the whole platform in one process on SQLite files under DATA_DIR. */
async function main(): Promise<void> {
  const config = loadConfig();
  const stack = await startStack(config);
  const marker = join(resolve(config.dataDir), '.seeded');
  const adminToken = await signToken(
    config,
    { sub: 'dev-admin', roles: ['LICENSING_ADMIN'], certified: true },
    30 * 86400,
  );
  if (config.seedDemoData && !existsSync(marker)) {
    const summary = await seedDemoData(stack.gatewayUrl, adminToken);
    mkdirSync(resolve(config.dataDir), { recursive: true });
    writeFileSync(marker, JSON.stringify(summary, null, 2));
    console.log(`Seeded demo data: ${summary.accounts.length} accounts, ${summary.servers.length} servers`);
  }
  const base = stack.gatewayUrl.replace(/\/graphql$/, '');
  console.log(
    [
      '',
      'Licensing platform is running (embedded mode: SQLite under ' +
        resolve(config.dataDir) +
        ', in-process bus)',
      `  GraphQL (HTTP and graphql-ws): ${stack.gatewayUrl}`,
      `  Dashboard:                     ${base}/dashboard`,
      `  Health:                        ${base}/healthz  ${base}/readyz`,
      ...(['accounts', 'allocation', 'billing', 'enforcement'] as const).map(
        (n) => `  Subgraph ${n.padEnd(12)}         ${stack.services[n].url}`,
      ),
      '',
      'Development token (LICENSING_ADMIN, certified; valid 30 days):',
      adminToken,
      '',
      `Try: curl -s ${stack.gatewayUrl} -H 'content-type: application/json' -H "authorization: Bearer <token>" \\`,
      `       -d '{"query":"{ accounts { id name servers { name enforcementStatus { stageName } } currentBillingPeriod { start end } } }"}'`,
      '',
    ].join('\n'),
  );
  const stop = async () => {
    await stack.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
