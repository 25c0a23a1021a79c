import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { type IncomingMessage, type Server, createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_REDIS_URL, eventually, subscribe, testEnvironment, tokenFor, wsClient } from '@lic/testing';
import { freePort, startProcess, type RunningProcess } from './helpers.js';

/** One span as an OTLP/HTTP JSON export carries it (ids as hex). */
interface ReceivedSpan {
  service: string;
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  links: Array<{ traceId: string; spanId: string }>;
}

/** OTLP/JSON ids are hex; a protobuf-JSON encoder may send base64 instead. */
function hexId(id: unknown): string {
  if (typeof id !== 'string' || id === '') return '';
  return /^[0-9a-f]+$/i.test(id) && (id.length === 32 || id.length === 16)
    ? id.toLowerCase()
    : Buffer.from(id, 'base64').toString('hex');
}

/** A real OTLP/HTTP receiver: POST /v1/traces with the exporter's JSON, spans kept in order. */
async function startReceiver(): Promise<{
  server: Server;
  url: string;
  spans: ReceivedSpan[];
  bodies: string[];
}> {
  const spans: ReceivedSpan[] = [];
  const bodies: string[] = [];
  const read = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
  const server = createServer((req, res) => {
    void read(req).then((text) => {
      if (req.method !== 'POST' || req.url !== '/v1/traces') {
        res.writeHead(404).end();
        return;
      }
      bodies.push(`${req.headers['content-type'] ?? ''}`);
      const body = JSON.parse(text) as {
        resourceSpans?: Array<{
          resource?: { attributes?: Array<{ key: string; value: { stringValue?: string } }> };
          scopeSpans?: Array<{ spans?: Array<Record<string, unknown>> }>;
        }>;
      };
      for (const rs of body.resourceSpans ?? []) {
        const service =
          rs.resource?.attributes?.find((a) => a.key === 'service.name')?.value.stringValue ?? '';
        for (const ss of rs.scopeSpans ?? []) {
          for (const s of ss.spans ?? []) {
            spans.push({
              service,
              name: String(s['name']),
              kind: Number(s['kind']),
              traceId: hexId(s['traceId']),
              spanId: hexId(s['spanId']),
              parentSpanId: hexId(s['parentSpanId']),
              links: ((s['links'] as Array<Record<string, unknown>> | undefined) ?? []).map((l) => ({
                traceId: hexId(l['traceId']),
                spanId: hexId(l['spanId']),
              })),
            });
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { server, url: `http://127.0.0.1:${port}`, spans, bodies };
}

/** The JSON log lines of a process's output (its other lines are the launcher's own text). */
function jsonLines(output: string): string[] {
  return output.split('\n').filter((line) => line.startsWith('{'));
}

/** How many times a key appears at the top level of a raw JSON line (JSON.parse would hide a duplicate). */
function topLevelKeyCount(line: string, key: string): number {
  let depth = 0;
  let count = 0;
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i];
    if (c === '"') {
      let j = i + 1;
      while (j < line.length && line[j] !== '"') j += line[j] === '\\' ? 2 : 1;
      const text = line.slice(i + 1, j);
      if (depth === 1 && text === key && line[j + 1] === ':') count += 1;
      i = j;
    } else if (c === '{' || c === '[') depth += 1;
    else if (c === '}' || c === ']') depth -= 1;
  }
  return count;
}

const METRICS_TOKEN = 'a-metrics-scraper-token-of-32-characters-or-more';
const CREATE_ACCOUNT =
  'mutation CreateAccount($input: CreateAccountInput!) { createAccount(input: $input) { id } }';

/**
 * Issue 16, "Seeing a fault": five real processes (SQLite each, Redis Streams between them) export
 * spans over OTLP/HTTP to a receiver in this test; log lines carry the trace id; every subgraph
 * serves /metrics behind METRICS_TOKEN.
 */
describe('observability (traces over OTLP, trace ids in logs, /metrics on every subgraph)', () => {
  const prefix = `liceotel${randomBytes(4).toString('hex')}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'lic-e2e-otel-'));
  const names = ['accounts', 'allocation', 'billing', 'enforcement'] as const;
  const processes: Record<string, RunningProcess> = {};
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let gatewayUrl: string;
  let ports: Record<(typeof names)[number], number>;

  beforeAll(async () => {
    receiver = await startReceiver();
    ports = Object.fromEntries(
      await Promise.all(names.map(async (n) => [n, await freePort()] as const)),
    ) as typeof ports;
    const gatewayPort = await freePort();
    const env: Record<string, string> = {
      DATA_DIR: dataDir,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: `${prefix}:`,
      LOG_LEVEL: 'debug',
      OUTBOX_POLL_MS: '100',
      SEED_DEMO_DATA: 'false',
      METRICS_TOKEN,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_BSP_SCHEDULE_DELAY: '100',
      GATEWAY_PORT: String(gatewayPort),
      ...Object.fromEntries(names.map((n) => [`${n.toUpperCase()}_PORT`, String(ports[n])])),
      ...Object.fromEntries(
        names.map((n) => [`${n.toUpperCase()}_URL`, `http://127.0.0.1:${ports[n]}/graphql`]),
      ),
    };
    const started = await Promise.all(
      names.map((n) => startProcess(['scripts/dist/service.js', n], env, /"msg":"ready"/, 60_000)),
    );
    names.forEach((n, i) => (processes[n] = started[i]!));
    processes['gateway'] = await startProcess(
      ['scripts/dist/service.js', 'gateway'],
      env,
      /"msg":"ready"/,
      60_000,
    );
    gatewayUrl = `http://127.0.0.1:${gatewayPort}/graphql`;
  });

  afterAll(async () => {
    await Promise.all(Object.values(processes).map((p) => p.stop()));
    await new Promise((r) => receiver.server.close(r));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("one mutation is one trace: the client's, the gateway's, the subgraph's and the event consumers' spans", async () => {
    const { config } = testEnvironment();
    const admin = await tokenFor(config, { roles: ['LICENSING_ADMIN'], certified: true });
    // The client's own trace: the gateway continues it.
    const traceId = randomBytes(16).toString('hex');
    const clientSpanId = randomBytes(8).toString('hex');
    const response = await fetch(gatewayUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${admin}`,
        traceparent: `00-${traceId}-${clientSpanId}-01`,
      },
      body: JSON.stringify({
        query: CREATE_ACCOUNT,
        variables: {
          input: { name: 'Traced Ltd', garn: `GARN-${randomBytes(3).toString('hex')}`, kind: 'CUSTOMER' },
        },
      }),
    });
    const body = (await response.json()) as { data?: { createAccount: { id: string } }; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(body.data?.createAccount.id).toBeTruthy();

    const ofTrace = () => receiver.spans.filter((s) => s.traceId === traceId);
    // The gateway's server span, its subgraph fetch, and accounts' server span; billing and
    // enforcement each consume accounts.account-created (after the outbox relay published it).
    const spans = await eventually(() => {
      const found = ofTrace();
      const consumers = receiver.spans.filter(
        (s) =>
          s.name === 'consume accounts.account-created' &&
          (s.traceId === traceId || s.links.some((l) => l.traceId === traceId)),
      );
      const services = new Set(consumers.map((s) => s.service));
      // Each process sends its own batches: wait for the gateway's (server and fetch spans) too.
      return found.some((s) => s.service === 'accounts') &&
        found.some((s) => s.service === 'gateway' && s.kind === 2) &&
        found.some((s) => s.service === 'gateway' && s.kind === 3) &&
        services.has('billing') &&
        services.has('enforcement')
        ? { found, consumers }
        : undefined;
    }, 20_000);

    const gatewayServer = spans.found.find((s) => s.service === 'gateway' && s.kind === 2)!; // SERVER
    expect(gatewayServer).toBeDefined();
    expect(gatewayServer.name).toBe('mutation CreateAccount');
    expect(gatewayServer.parentSpanId).toBe(clientSpanId);
    const fetchSpan = spans.found.find((s) => s.service === 'gateway' && s.kind === 3)!; // CLIENT
    expect(fetchSpan).toBeDefined();
    expect(fetchSpan.parentSpanId).toBe(gatewayServer.spanId);
    const accountsServer = spans.found.find((s) => s.service === 'accounts' && s.kind === 2)!;
    expect(accountsServer).toBeDefined();
    // The subgraph's span is the child of the gateway's request to it.
    expect(accountsServer.parentSpanId).toBe(fetchSpan.spanId);
    expect(accountsServer.name).toMatch(/^mutation /);
    // The event's consumers continue the trace from the span that wrote the event.
    for (const consumer of spans.consumers) {
      expect(consumer.traceId).toBe(traceId);
      expect(consumer.parentSpanId).toBe(accountsServer.spanId);
      expect(consumer.kind).toBe(5); // CONSUMER
    }
    // Accounts' relay published it in a producer span linked to the trace.
    expect(
      receiver.spans.some(
        (s) =>
          s.service === 'accounts' &&
          s.name === 'outbox publish' &&
          s.links.some((l) => l.traceId === traceId),
      ),
    ).toBe(true);
    // The exporter sends OTLP/HTTP JSON.
    expect(receiver.bodies[0]).toMatch(/application\/json/);

    // The log lines of that request carry its trace id, at the gateway and in the subgraph.
    for (const service of ['gateway', 'accounts']) {
      const lines = jsonLines(processes[service]!.output()).filter((l) => l.includes(traceId));
      expect(lines.length).toBeGreaterThan(0);
      const line = JSON.parse(lines[0]!) as Record<string, unknown>;
      expect(line['trace_id']).toBe(traceId);
      expect(line['span_id']).toMatch(/^[0-9a-f]{16}$/);
      expect(line['service']).toBe(service);
    }
  });

  it("a subscription through the gateway: the subgraph's subscribe span is the child of the gateway's", async () => {
    const { config } = testEnvironment();
    const admin = await tokenFor(config, { roles: ['LICENSING_ADMIN'], certified: true });
    const client = wsClient(gatewayUrl, admin, null);
    try {
      const stages = subscribe(client, 'subscription Stages { enforcementStageChanged { from to at } }');
      const { upstream, server } = await eventually(() => {
        const upstream = receiver.spans.find(
          (s) => s.service === 'gateway' && s.name === 'subscribe enforcement',
        );
        const server =
          upstream &&
          receiver.spans.find(
            (s) => s.service === 'enforcement' && s.kind === 2 && s.parentSpanId === upstream.spanId,
          );
        return upstream && server ? { upstream, server } : undefined;
      }, 15_000);
      expect(stages.received).toEqual([]); // no error payload: the subscription is open
      expect(server.traceId).toBe(upstream.traceId);
      expect(server.name).toMatch(/^subscription /);
    } finally {
      await client.dispose();
    }
  });

  it('every log line of every process has exactly one service key', async () => {
    for (const [service, process] of Object.entries(processes)) {
      const lines = jsonLines(process.output());
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) {
        if (topLevelKeyCount(line, 'service') !== 1) throw new Error(`${service}: ${line}`);
      }
    }
  });

  it('/metrics on a subgraph: 401 without the token, the named metrics with it', async () => {
    for (const name of names) {
      const url = `http://127.0.0.1:${ports[name]}/metrics`;
      const refused = await fetch(url);
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toMatch(/Bearer/);
    }
    const text = await eventually(async () => {
      const res = await fetch(`http://127.0.0.1:${ports.accounts}/metrics`, {
        headers: { authorization: `Bearer ${METRICS_TOKEN}` },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/plain/);
      const body = await res.text();
      // The mutation of the first test was counted by name.
      return /graphql_operations_total\{[^}]*type="mutation"[^}]*\} [1-9]/.test(body) ? body : undefined;
    }, 10_000);
    for (const metric of [
      'process_resident_memory_bytes',
      'nodejs_heap_size_used_bytes',
      'nodejs_eventloop_lag_seconds',
      'nodejs_active_handles_total',
      'graphql_operation_duration_seconds_bucket',
      'outbox_backlog_events',
      'outbox_oldest_unpublished_age_seconds',
      'events_consumed_total',
      'events_failed_total',
      'db_pool_connections_in_use',
    ]) {
      expect(text).toContain(metric);
    }
    expect(text).toMatch(/outbox_backlog_events\{service="accounts"\} 0/);
    // Billing consumed the account-created event and counted it.
    const billing = await (
      await fetch(`http://127.0.0.1:${ports.billing}/metrics`, {
        headers: { authorization: `Bearer ${METRICS_TOKEN}` },
      })
    ).text();
    expect(billing).toMatch(/events_consumed_total\{[^}]*topic="accounts\.account-created"[^}]*\} [1-9]/);
  });
});

/** Embedded mode: one process, one `service` (the deployable, `platform`); the part is `component`. */
describe('embedded mode log lines', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'lic-e2e-otel-embedded-'));
  let platform: RunningProcess | undefined;
  afterAll(async () => {
    await platform?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('has exactly one service key a line, and serves /metrics on each subgraph port', async () => {
    const [g, a, l, b, e] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
    platform = await startProcess(
      ['scripts/dist/start.js'],
      {
        DATA_DIR: dataDir,
        LOG_LEVEL: 'info',
        SEED_DEMO_DATA: 'false',
        GATEWAY_PORT: String(g),
        ACCOUNTS_PORT: String(a),
        ALLOCATION_PORT: String(l),
        BILLING_PORT: String(b),
        ENFORCEMENT_PORT: String(e),
      },
      /Development token[^\n]*\n\S+\n/,
      60_000,
    );
    const lines = jsonLines(platform.output());
    expect(lines.some((line) => line.includes('"component":"accounts"'))).toBe(true);
    for (const line of lines) {
      if (topLevelKeyCount(line, 'service') !== 1) throw new Error(line);
      expect(JSON.parse(line)).toMatchObject({ service: 'platform' });
    }
    // Without METRICS_TOKEN, outside production, a client on this machine may read it.
    const res = await fetch(`http://127.0.0.1:${l}/metrics`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('graphql_operations_total');
  });
});
