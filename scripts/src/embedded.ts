import 'reflect-metadata';
import { createServer as createAccounts, createWebhookWorker } from '@lic/accounts';
import { createServer as createAllocation } from '@lic/allocation';
import { createServer as createBilling } from '@lic/billing';
import { createServer as createEnforcement } from '@lic/enforcement';
import { createGateway } from '@lic/gateway';
import {
  type Clock,
  type Config,
  InProcessTransport,
  type EventTransport,
  type Logger,
  type ServiceHandle,
  type SubgraphName,
  createEventTransport,
  createLogger,
  startTracing,
} from '@lic/shared';

export interface Stack {
  config: Config;
  gatewayUrl: string;
  services: Record<SubgraphName | 'gateway' | 'webhooks', ServiceHandle>;
  close(): Promise<void>;
}

export interface StackOptions {
  clock?: Clock;
  logger?: Logger;
  /** Runs the webhook delivery worker in this process (default); tests that run their own pass false. */
  webhookWorker?: boolean;
}

/**
 * Starts the four subgraphs and the gateway in this process (embedded mode: one in-process bus;
 * with REDIS_URL the bus is Redis Streams even here). Ports of 0 pick free ones.
 */
export async function startStack(config: Config, options: StackOptions = {}): Promise<Stack> {
  const logger = options.logger ?? createLogger('platform', config.logLevel);
  // One process, one tracer provider: its spans name the deployable `platform`.
  await startTracing(config, 'platform');
  const transport: EventTransport = config.redisUrl
    ? createEventTransport(config, logger)
    : new InProcessTransport();
  const overrides = (name: string) => ({
    transport,
    logger: logger.child({ component: name }),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const started: ServiceHandle[] = [];
  try {
    const accounts = await createAccounts(config, overrides('accounts'));
    started.push(accounts);
    const allocation = await createAllocation(config, overrides('allocation'));
    started.push(allocation);
    const billing = await createBilling(config, overrides('billing'));
    started.push(billing);
    const enforcement = await createEnforcement(config, overrides('enforcement'));
    started.push(enforcement);
    // The webhook worker runs here too, on the accounts subgraph's database connection.
    const webhooks: ServiceHandle =
      options.webhookWorker === false
        ? { name: 'webhooks', url: '', port: 0, close: () => Promise.resolve() }
        : await createWebhookWorker(config, {
            ...overrides('webhooks'),
            database: accounts.database,
          });
    started.push(webhooks);
    const gatewayConfig: Config = {
      ...config,
      subgraphUrls: {
        accounts: accounts.url,
        allocation: allocation.url,
        billing: billing.url,
        enforcement: enforcement.url,
      },
    };
    const gateway = await createGateway(gatewayConfig, { logger: logger.child({ component: 'gateway' }) });
    started.push(gateway);
    return {
      config: gatewayConfig,
      gatewayUrl: gateway.url,
      services: { accounts, allocation, billing, enforcement, gateway, webhooks },
      close: async () => {
        // The gateway first: no request reaches a subgraph after it.
        await gateway.close();
        if (transport instanceof InProcessTransport) {
          // The in-process bus dies with the process: nothing more goes onto it (what is committed
          // stays in the outboxes for the next start), and what it holds is applied while every
          // consumer still runs; only then do the subgraphs stop.
          transport.seal();
          const settled = await transport.settled(config.shutdownGraceMs);
          logger.info({ settled }, 'shutdown: in-process event bus sealed and drained');
        }
        for (const s of [webhooks, enforcement, billing, allocation, accounts]) await s.close();
        await transport.close();
      },
    };
  } catch (error) {
    for (const s of started.reverse()) await s.close().catch(() => undefined);
    await transport.close();
    throw error;
  }
}
