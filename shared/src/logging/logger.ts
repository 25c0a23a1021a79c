import { pino, type Logger } from 'pino';

export type { Logger };

/** One JSON object a line, on stdout; `service` names the deployable. */
export function createLogger(service: string, level = 'info'): Logger {
  return pino({
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  });
}
