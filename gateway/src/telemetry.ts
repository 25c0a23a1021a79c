import { type IncomingMessage, type ServerResponse } from 'node:http';
import {
  type Config,
  type Logger,
  inServerSpan,
  startTracing,
  tracedSubscribePayload,
} from '@lic/shared/core';

/** Starts tracing in this process when configured (OTEL_* settings); a no-op otherwise. */
export async function startGatewayTelemetry(config: Config): Promise<void> {
  await startTracing(config, 'gateway');
}

/**
 * A client's GraphQL request in the gateway's server span: it continues the client's
 * `traceparent` when one came, and every subgraph fetch made for it is its child. At debug
 * level each request is logged as it ends (with its trace id when tracing is on).
 */
export function observeGatewayRequest(
  req: IncomingMessage,
  res: ServerResponse,
  logger: Logger,
  handle: () => Promise<void>,
): Promise<void> {
  if (!logger.isLevelEnabled('debug')) return inServerSpan('gateway', req, res, handle);
  const started = performance.now();
  return inServerSpan('gateway', req, res, async () => {
    await handle();
    logger.debug(
      { status: res.statusCode, durationMs: Math.round((performance.now() - started) * 10) / 10 },
      'graphql request',
    );
  });
}

/** The subscribe payload sent to a subgraph, with the trace context in its extensions (tracing on). */
export function upstreamSubscribePayload(
  service: string,
  query: string,
  variables: Record<string, unknown>,
): { query: string; variables: Record<string, unknown>; extensions?: Record<string, unknown> } {
  const payload: { query: string; variables: Record<string, unknown>; extensions?: Record<string, unknown> } =
    {
      query,
      variables,
    };
  return tracedSubscribePayload('gateway', `subscribe ${service}`, payload);
}
