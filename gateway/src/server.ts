import { createServer, type Server as HttpServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { GraphQLError } from 'graphql';
import {
  type Config,
  ErrorCode,
  type Logger,
  type Principal,
  type ServiceHandle,
  SUBGRAPH_NAMES,
  type SubgraphName,
  TokenVerifier,
  createLogger,
  maskFormattedError,
} from '@lic/shared';
import { createSubgraphFetcher } from './subgraph-fetcher.js';
import { loadSupergraphSdl } from './supergraph.js';

export interface GatewayContext {
  principal: Principal;
  authorization: string;
}

export interface GatewayOptions {
  logger?: Logger;
  supergraphSdl?: string;
}

export interface GatewayHandle extends ServiceHandle {
  httpServer: HttpServer;
}

function isSubgraphName(name: string): name is SubgraphName {
  return (SUBGRAPH_NAMES as readonly string[]).includes(name);
}

async function subgraphReady(url: string, timeoutMs: number): Promise<boolean> {
  try {
    const res = await fetch(new URL('/readyz', url), { signal: AbortSignal.timeout(timeoutMs) });
    return res.ok;
  } catch {
    return false;
  }
}

/** The Apollo gateway over the static supergraph, with auth forwarding and health endpoints. */
export async function createGateway(config: Config, options: GatewayOptions = {}): Promise<GatewayHandle> {
  const logger = options.logger ?? createLogger('gateway', config.logLevel);
  const verifier = new TokenVerifier(config);
  const fetcher = createSubgraphFetcher(config.subgraphTimeoutMs);
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl ?? loadSupergraphSdl(),
    buildService: ({ name, url }) =>
      new RemoteGraphQLDataSource<GatewayContext>({
        url: isSubgraphName(name) ? config.subgraphUrls[name] : url,
        fetcher,
        willSendRequest({ request, context }) {
          // Subgraphs verify the token again: the gateway is not their only way in.
          if (context.authorization) request.http?.headers.set('authorization', context.authorization);
        },
      }),
  });

  const app = express();
  app.disable('x-powered-by');
  const httpServer = createServer(app);
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    introspection: config.introspection,
    csrfPrevention: true,
    includeStacktraceInErrorResponses: false,
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer })],
    formatError: (formatted, error) => {
      const { error: safe, masked } = maskFormattedError(formatted);
      if (masked) logger.error({ err: error }, 'internal error');
      return safe;
    },
  });
  await apollo.start();

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', service: 'gateway' });
  });
  app.get('/readyz', async (_req, res) => {
    const checks = await Promise.all(
      SUBGRAPH_NAMES.map(async (name) => [name, await subgraphReady(config.subgraphUrls[name], 2000)] as const),
    );
    const ready = checks.every(([, ok]) => ok);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', subgraphs: Object.fromEntries(checks) });
  });
  app.use(
    '/graphql',
    express.json({ limit: config.limits.maxRequestBytes }),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        let principal: Principal | undefined;
        try {
          principal = await verifier.fromAuthorization(req.headers.authorization);
        } catch (error) {
          throw new GraphQLError(error instanceof Error ? error.message : 'Token is invalid', {
            extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } },
          });
        }
        if (!principal) {
          throw new GraphQLError('A bearer token is required (Authorization: Bearer <token>)', {
            extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } },
          });
        }
        return { principal, authorization: req.headers.authorization ?? '' };
      },
    }),
  );

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.ports.gateway, config.listenHost, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  const url = `http://${config.listenHost}:${port}/graphql`;
  logger.info({ url }, 'gateway listening');
  let closing: Promise<void> | undefined;
  return {
    name: 'gateway',
    url,
    port,
    httpServer,
    close: () =>
      (closing ??= (async () => {
        await apollo.stop();
        httpServer.closeAllConnections();
      })()),
  };
}
