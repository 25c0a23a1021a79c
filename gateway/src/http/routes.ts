import { type IncomingMessage, type ServerResponse } from 'node:http';
import express, { type Express } from 'express';
import {
  type Config,
  ErrorCode,
  type Logger,
  type Readiness,
  readinessHttpStatus,
  sendRefusal,
  serveMetrics,
  splitUrl,
} from '@lic/shared/core';
import { createCors } from '../cors.js';
import { mountDashboard } from '../dashboard.js';
import { type GatewayMetrics } from '../metrics.js';
import { observeGatewayRequest } from '../telemetry.js';
import { type GraphqlEndpoint } from './graphql-endpoint.js';

/** Where GraphQL is served: over HTTP, and over graphql-ws on the same URL. */
export const GRAPHQL_PATH = '/graphql';

export interface RouteOptions {
  config: Config;
  logger: Logger;
  metrics: GatewayMetrics;
  readiness: Readiness;
}

/** What Express serves: health, readiness, metrics and the dashboard (everything but GraphQL). */
export function routesApp({ config, logger, metrics, readiness }: RouteOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', service: 'gateway' });
  });
  app.get('/readyz', async (_req, res) => {
    const report = await readiness.report();
    res.status(readinessHttpStatus(report.status)).json(report);
  });
  app.get('/metrics', (req, res) => serveMetrics(config, metrics.registry, req, res));

  // The supervisor dashboard (gateway/dashboard): static bundle plus, on opt-in, a dev sign-in.
  mountDashboard(app, { config, logger });
  return app;
}

/** The HTTP server's one listener: GraphQL over HTTP goes straight to Apollo; Express serves the rest. */
export function requestRouter(
  config: Config,
  app: Express,
  graphql: GraphqlEndpoint,
  logger: Logger,
): (req: IncomingMessage, res: ServerResponse) => void {
  const cors = createCors(config.cors);
  return (req, res) => {
    const { path, search } = splitUrl(req);
    if (path !== GRAPHQL_PATH && path !== `${GRAPHQL_PATH}/`) {
      app(req, res);
      return;
    }
    if (cors(req, res)) return; // a preflight, answered
    observeGatewayRequest(req, res, logger, () => graphql.serve(req, res, search)).catch((error: unknown) => {
      logger.error({ err: error }, 'request failed');
      if (res.headersSent) res.destroy();
      else sendRefusal(res, 500, ErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error');
    });
  };
}
