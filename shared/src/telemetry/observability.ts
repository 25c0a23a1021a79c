import { type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { type Logger } from '../logging/logger.js';
import { type ServiceMetrics } from './metrics.js';
import { SpanKind, TRACEPARENT, contextFrom, inSpan, nameActiveSpan } from './tracing.js';

/**
 * A subgraph's Apollo plugin: each operation counted and timed by name (ServiceMetrics), and the
 * request's span named after it. It costs a counter and a histogram a request; tracing off, the
 * span naming returns at once. At debug level each operation is logged as it ends.
 */
export function operationObserver<TContext extends BaseContext>(
  metrics: ServiceMetrics,
  logger?: Logger,
): ApolloServerPlugin<TContext> {
  const debug = logger?.isLevelEnabled('debug') ? logger : undefined;
  return {
    async requestDidStart() {
      const started = performance.now();
      let type = 'unknown';
      let name: string | undefined;
      return {
        async didResolveOperation({ operation, operationName }) {
          type = operation?.operation ?? 'unknown';
          name = operationName ?? undefined;
          nameActiveSpan(type, name);
        },
        async willSendResponse() {
          const seconds = (performance.now() - started) / 1000;
          metrics.operation(type, name, seconds);
          debug?.debug(
            { operation: name ?? '(anonymous)', type, durationMs: Math.round(seconds * 10_000) / 10 },
            'graphql operation',
          );
        },
      };
    },
  };
}

/**
 * A graphql-ws subscribe the gateway sent: a span continuing the `traceparent` in the payload's
 * extensions, covering the subscription's set-up (tracing off: nothing).
 */
export function traceSubscribe(
  service: string,
  payload: { operationName?: string | null; extensions?: Record<string, unknown> | null },
): void {
  const traceparent = payload.extensions?.[TRACEPARENT];
  void inSpan(
    service,
    `subscription ${payload.operationName ?? '(anonymous)'}`,
    {
      kind: SpanKind.SERVER,
      parent: contextFrom(typeof traceparent === 'string' ? { [TRACEPARENT]: traceparent } : undefined),
      attributes: { 'graphql.operation.type': 'subscription' },
    },
    async () => undefined,
  );
}
