import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../config/config.js';
import { currentTraceparent, inSpan, startTracing, tracingEnabled, withTraceHeaders } from './tracing.js';

const ROOT = join(__dirname, '..', '..', '..');

/**
 * Runs startTracing in a fresh Node process (the built library, as services run it) with `env`,
 * and reports whether tracing came on and which OpenTelemetry SDK modules the process loaded.
 */
function probe(env: Record<string, string>): { on: boolean; loaded: string[] } {
  const script = `
    const { loadConfig, startTracing, stopTracing } = require('./shared/dist/core.js');
    startTracing(loadConfig(process.env), 'probe').then(async (on) => {
      const loaded = Object.keys(require.cache)
        .filter((p) => /@opentelemetry[\\\\/](sdk-trace|exporter-trace-otlp-http|context-async-hooks)/.test(p))
        .map((p) => p.replace(/^.*@opentelemetry[\\\\/]/, '').split(/[\\\\/]/)[0]);
      await stopTracing();
      console.log(JSON.stringify({ on, loaded: [...new Set(loaded)].sort() }));
    });`;
  const out = execFileSync(process.execPath, ['-e', script], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').pop()!) as { on: boolean; loaded: string[] };
}

describe('tracing configuration', () => {
  it('is off by default, on with an OTLP endpoint or OTEL_TRACES_EXPORTER=otlp, off again with none', () => {
    expect(loadConfig({}).tracing.enabled).toBe(false);
    const endpoint = loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).tracing;
    expect(endpoint).toMatchObject({ enabled: true, endpoint: 'http://collector:4318/v1/traces' });
    expect(loadConfig({ OTEL_TRACES_EXPORTER: 'otlp' }).tracing).toMatchObject({
      enabled: true,
      endpoint: 'http://localhost:4318/v1/traces',
    });
    expect(
      loadConfig({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://t.example/x' })
        .tracing.endpoint,
    ).toBe('https://t.example/x');
    expect(
      loadConfig({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })
        .tracing.enabled,
    ).toBe(false);
  });

  it('refuses an endpoint that is not an http(s) URL and an unknown exporter, naming the variable', () => {
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(ConfigError);
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'grpc://collector:4317' })).toThrow(
      /OTEL_EXPORTER_OTLP_ENDPOINT/,
    );
    expect(() => loadConfig({ OTEL_TRACES_EXPORTER: 'zipkin' })).toThrow(/OTEL_TRACES_EXPORTER/);
  });
});

describe('tracing off', () => {
  it('creates no exporter and loads no SDK; on, it does', () => {
    expect(probe({})).toEqual({ on: false, loaded: [] });
    const on = probe({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' });
    expect(on.on).toBe(true);
    expect(on.loaded).toEqual(
      expect.arrayContaining(['context-async-hooks', 'exporter-trace-otlp-http', 'sdk-trace-base']),
    );
  });

  it('adds no traceparent anywhere and requires none', async () => {
    expect(await startTracing(loadConfig({}), 'test')).toBe(false);
    expect(tracingEnabled()).toBe(false);
    const headers = { authorization: 'Bearer x' };
    expect(withTraceHeaders(headers)).toBe(headers);
    await inSpan('test', 'work', {}, async (span) => {
      expect(span).toBeUndefined();
      expect(currentTraceparent()).toBeUndefined();
    });
  });
});
