import { pino, type Logger } from 'pino';
import { traceFields } from '../telemetry/tracing.js';

export type { Logger };

/**
 * One JSON object a line, on stdout. `service` names the deployable and appears once a line: a
 * child logger or a log call names anything else (a subgraph, a component) under another key.
 * With tracing on, a line written inside a span carries its `trace_id` and `span_id`.
 */
export function createLogger(service: string, level = 'info'): Logger {
  return pino({
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: traceFields,
  });
}
