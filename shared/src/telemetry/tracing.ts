import { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import {
  type Attributes,
  type Context,
  type Link,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  context,
  propagation,
  trace,
} from '@opentelemetry/api';
import { type Config } from '../config/config.js';

/**
 * OpenTelemetry traces, off by default. While off nothing is loaded beyond the API (no SDK, no
 * exporter, no context manager) and every helper here returns at its first line, so the logon
 * path pays one boolean test per helper. On (the config's `tracing.enabled`), the first service of
 * the process to start registers an AsyncLocalStorage context manager, the W3C trace-context
 * propagator and a tracer provider whose batches go over OTLP/HTTP (JSON).
 *
 * Spans are manual, at the few places that matter: the gateway's request, each subgraph fetch, a
 * subgraph's request and operation, logon and logoff, their transaction, the outbox publish and
 * each event consumed. The W3C `traceparent` travels in HTTP headers (client to gateway, gateway
 * to subgraph), in the graphql-ws subscribe payload's `extensions` (gateway to subgraph) and with
 * each outbox event (stored beside it, published with it).
 */
let enabled = false;
let starting: Promise<void> | undefined;
let shutdown: (() => Promise<void>) | undefined;

/** The header (and field) name of the W3C trace context. */
export const TRACEPARENT = 'traceparent';

export function tracingEnabled(): boolean {
  return enabled;
}

/**
 * Starts tracing for this process when the config asks for it (idempotent: in embedded mode the
 * services share one provider, named after the first). Returns whether tracing is on.
 */
export async function startTracing(config: Pick<Config, 'tracing'>, service: string): Promise<boolean> {
  if (!config.tracing.enabled) return false;
  starting ??= (async () => {
    const [hooks, core, sdk, exporter, resources] = await Promise.all([
      import('@opentelemetry/context-async-hooks'),
      import('@opentelemetry/core'),
      import('@opentelemetry/sdk-trace-base'),
      import('@opentelemetry/exporter-trace-otlp-http'),
      import('@opentelemetry/resources'),
    ]);
    const { tracing } = config;
    context.setGlobalContextManager(new hooks.AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new core.W3CTraceContextPropagator());
    const provider = new sdk.BasicTracerProvider({
      resource: resources.resourceFromAttributes({ 'service.name': tracing.serviceName ?? service }),
      sampler: new sdk.ParentBasedSampler({ root: new sdk.TraceIdRatioBasedSampler(tracing.sampleRatio) }),
      spanProcessors: [
        new sdk.BatchSpanProcessor(new exporter.OTLPTraceExporter({ url: tracing.endpoint }), {
          scheduledDelayMillis: tracing.batchDelayMs,
        }),
      ],
    });
    trace.setGlobalTracerProvider(provider);
    shutdown = () => provider.shutdown();
    enabled = true;
  })();
  await starting;
  return true;
}

/** Sends the spans still buffered and stops tracing (a process calls it as it exits). */
export async function stopTracing(): Promise<void> {
  const stop = shutdown;
  shutdown = undefined;
  enabled = false;
  starting = undefined;
  await stop?.().catch(() => undefined);
  trace.disable();
  propagation.disable();
  context.disable();
}

const tracer = (scope: string) => trace.getTracer(`lic.${scope}`);

/** The trace context a `traceparent` (and optional `tracestate`) names, or the root context. */
export function contextFrom(
  carrier: Record<string, string | string[] | undefined> | IncomingHttpHeaders | undefined,
): Context {
  if (!enabled || !carrier) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, carrier, {
    get: (c, key) => {
      const value = (c as Record<string, unknown>)[key];
      return typeof value === 'string' || Array.isArray(value) ? (value as string | string[]) : undefined;
    },
    keys: (c) => Object.keys(c as object),
  });
}

/** The active span's `traceparent`, or undefined (tracing off, or no span). */
export function currentTraceparent(): string | undefined {
  if (!enabled) return undefined;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier[TRACEPARENT];
}

/** `headers` with the active trace context added (the same object when there is none). */
export function withTraceHeaders<T extends Record<string, string | number | string[]>>(headers: T): T {
  if (!enabled) return headers;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier[TRACEPARENT] ? { ...headers, ...carrier } : headers;
}

/** A graphql-ws subscribe payload with the active trace context in its `extensions`. */
export function withTraceExtensions<T extends { extensions?: Record<string, unknown> }>(payload: T): T {
  const traceparent = currentTraceparent();
  if (!traceparent) return payload;
  return { ...payload, extensions: { ...payload.extensions, [TRACEPARENT]: traceparent } };
}

/**
 * A graphql-ws subscribe payload carrying, in its `extensions`, the `traceparent` of a new span
 * (child of the active one) that stands for the subscribe message sent upstream. Tracing off:
 * the payload as it was.
 */
export function tracedSubscribePayload<T extends { extensions?: Record<string, unknown> }>(
  scope: string,
  name: string,
  payload: T,
): T {
  if (!enabled) return payload;
  const parent = context.active();
  const span = tracer(scope).startSpan(name, { kind: SpanKind.CLIENT }, parent);
  try {
    return context.with(trace.setSpan(parent, span), () => withTraceExtensions(payload));
  } finally {
    span.end();
  }
}

/** A link to the trace a `traceparent` names (for spans that continue several at once). */
export function linkTo(traceparent: string | undefined): Link | undefined {
  if (!enabled || !traceparent) return undefined;
  const span = trace.getSpan(contextFrom({ [TRACEPARENT]: traceparent }));
  return span ? { context: span.spanContext() } : undefined;
}

export interface SpanOptions {
  kind?: SpanKind;
  attributes?: Attributes;
  /** The parent (default: the active context). */
  parent?: Context;
  links?: Link[];
}

/**
 * Runs `fn` inside a new span (the active one while it runs); an error is recorded on the span
 * and thrown on. With tracing off, just runs `fn`.
 */
export function inSpan<T>(
  scope: string,
  name: string,
  options: SpanOptions,
  fn: (span: Span | undefined) => Promise<T>,
): Promise<T> {
  if (!enabled) return fn(undefined);
  const parent = options.parent ?? context.active();
  const span = tracer(scope).startSpan(
    name,
    {
      kind: options.kind ?? SpanKind.INTERNAL,
      ...(options.attributes ? { attributes: options.attributes } : {}),
      ...(options.links ? { links: options.links } : {}),
    },
    parent,
  );
  return context.with(trace.setSpan(parent, span), async () => {
    try {
      return await fn(span);
    } catch (error) {
      failed(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

function failed(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: error instanceof Error ? error.message : String(error),
  });
}

/**
 * Handles an HTTP request inside a server span continuing the caller's `traceparent` (a client
 * of the gateway, or the gateway for a subgraph). The span ends when the response does.
 */
export function inServerSpan(
  scope: string,
  req: IncomingMessage,
  res: ServerResponse,
  fn: () => Promise<void>,
): Promise<void> {
  if (!enabled) return fn();
  const parent = contextFrom(req.headers);
  const span = tracer(scope).startSpan(
    `${req.method ?? 'GET'} ${req.url?.split('?')[0] ?? '/'}`,
    {
      kind: SpanKind.SERVER,
      attributes: { 'http.request.method': req.method ?? 'GET', 'lic.service': scope },
    },
    parent,
  );
  res.once('close', () => {
    span.setAttribute('http.response.status_code', res.statusCode);
    if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  });
  return context.with(trace.setSpan(parent, span), async () => {
    try {
      await fn();
    } catch (error) {
      failed(span, error);
      throw error;
    }
  });
}

/** Names the active span after the GraphQL operation it serves (`query Name`, `mutation logon`). */
export function nameActiveSpan(operationType: string, operationName: string | undefined | null): void {
  if (!enabled) return;
  const span = trace.getSpan(context.active());
  if (!span) return;
  span.updateName(`${operationType} ${operationName ?? '(anonymous)'}`);
  span.setAttribute('graphql.operation.type', operationType);
  if (operationName) span.setAttribute('graphql.operation.name', operationName);
}

/** `trace_id` and `span_id` of the active span, for log lines (nothing when there is none). */
export function traceFields(): { trace_id?: string; span_id?: string } {
  if (!enabled) return {};
  const span = trace.getSpan(context.active());
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}

export { SpanKind };
