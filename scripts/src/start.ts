import 'reflect-metadata';
import { resolve } from 'node:path';
import { ConfigError, createLogger, exitOnSignals, isLoopbackHost, loadConfig, signToken } from '@lic/shared';
import { startStack } from './embedded.js';
import { seedOnFirstStart } from './first-start.js';

/**
 * The embedded demo opts in to the dashboard's one-click sign-in (demo supervisors, customer
 * administrators and partners) when it listens on loopback outside production; the operator's
 * own DEV_SIGN_IN / DEV_SIGN_IN_ROLES win.
 */
function demoDefaults(env: NodeJS.ProcessEnv): Record<string, string> {
  const local = isLoopbackHost(env['LISTEN_HOST'] ?? '127.0.0.1') && env['NODE_ENV'] !== 'production';
  return local ? { DEV_SIGN_IN: 'true', DEV_SIGN_IN_ROLES: 'SUPERVISOR,CUSTOMER_ADMIN,PARTNER' } : {};
}

/** `npm start`: the whole platform in one process on SQLite files under DATA_DIR. */
async function main(): Promise<void> {
  const config = loadConfig({ ...demoDefaults(process.env), ...process.env });
  const stack = await startStack(config);
  // From here on (the first start's seed included) a signal stops gracefully: the gateway drains
  // first (its requests still reach the subgraphs), then each subgraph.
  exitOnSignals({
    logger: createLogger('platform', config.logLevel),
    graceMs: config.shutdownGraceMs,
    stop: () => stack.close(),
  });
  const adminToken = await signToken(
    config,
    { sub: 'dev-admin', roles: ['LICENSING_ADMIN'], certified: true },
    config.jwt.maxLifetimeSeconds,
  );
  if (config.seedDemoData) {
    // Never fatal: a failed seed is reported with how to finish it, and the platform keeps serving.
    await seedOnFirstStart({
      gatewayUrl: stack.gatewayUrl,
      adminToken,
      dataDir: config.dataDir,
      log: (line) => console.log(line),
    });
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
      `Development token (LICENSING_ADMIN, certified; valid ${config.jwt.maxLifetimeSeconds} s, JWT_MAX_LIFETIME_SECONDS):`,
      adminToken,
      '',
      `Try: curl -s ${stack.gatewayUrl} -H 'content-type: application/json' -H "authorization: Bearer <token>" \\`,
      `       -d '{"query":"{ accounts { id name servers { name enforcementStatus { stageName } } currentBillingPeriod { start end } } }"}'`,
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
