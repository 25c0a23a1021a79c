import { Agent } from 'node:http';
import { performance } from 'node:perf_hooks';
import { median, percentile } from '../stats.js';
import { type Figure, type Scenario, type ScenarioContext, type ScenarioResult } from '../types.js';
import { post, processCpuMs, startGatewayPlatform } from './gateway-platform.js';

const CONCURRENCY = 10;
/** Billing answers it from memory: what is left is the gateway's own work, authentication included. */
const TRIVIAL = '{ billingPeriod { start end uploadDeadline } }';
const CREATE_KEY = `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }`;

type Credential = 'JWT' | 'API key';

interface Sample {
  latencies: number[];
  perSecond: number;
  cpuMsPerRequest: number;
  errors: number;
  firstError: string | undefined;
}

async function drive(
  url: string,
  credential: string,
  durationMs: number,
  agents: Agent[],
  pid: number,
): Promise<Sample> {
  const cpuBefore = processCpuMs(pid);
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const started = performance.now();
  const deadline = started + durationMs;
  await Promise.all(
    agents.map(async (agent) => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        try {
          await post(agent, url, TRIVIAL, {}, credential);
          latencies.push(performance.now() - t0);
        } catch (error) {
          errors += 1;
          firstError ??= error instanceof Error ? error.message : String(error);
          await new Promise((r) => setTimeout(r, 10));
        }
      }
    }),
  );
  return {
    latencies,
    perSecond: latencies.length / ((performance.now() - started) / 1000),
    cpuMsPerRequest: latencies.length > 0 ? (processCpuMs(pid) - cpuBefore) / latencies.length : Number.NaN,
    errors,
    firstError,
  };
}

async function run(context: ScenarioContext): Promise<ScenarioResult> {
  const timing = context.quick
    ? { warmupMs: 300, roundMs: 1000, rounds: 2 }
    : { warmupMs: 2000, roundMs: 5000, rounds: 4 };
  const notes: string[] = [
    `The same trivial query (\`${TRIVIAL}\`, billing answers from memory) through our gateway with ${CONCURRENCY} ` +
      `concurrent keep-alive clients, authenticated by a JWT or by an API key (Authorization: Bearer lic_…); ` +
      `${timing.rounds} rounds of ${timing.roundMs / 1000} s per credential, interleaved, after a warm-up.`,
    'An API key costs a SHA-256 and an LRU lookup per request; the gateway asks accounts again once per ' +
      'API_KEY_CACHE_MS (5 s) per key and forwards a platform token it re-signs at half its life, so the steady ' +
      'state is what is measured here. Gateway CPU per request (from /proc) is the figure least disturbed by a busy machine.',
  ];
  const failures: string[] = [];
  context.progress('starting the platform', 0);
  const platform = await startGatewayPlatform({
    seats: 1,
    hive: false,
    progress: (m) => context.progress(m, 0.05),
  });
  const agents = Array.from({ length: CONCURRENCY }, () => new Agent({ keepAlive: true, maxSockets: 1 }));
  const figures: Figure[] = [];
  try {
    const url = platform.gateway.url;
    const { createApiKey } = await post<{ createApiKey: { secret: string } }>(
      agents[0]!,
      url,
      CREATE_KEY,
      { input: { accountId: platform.fixture.accountId, name: 'bench', roles: ['LICENSING_ADMIN'] } },
      platform.tokens.admin,
    );
    const credentials: Record<Credential, string> = {
      JWT: platform.tokens.admin,
      'API key': createApiKey.secret,
    };
    const names = Object.keys(credentials) as Credential[];
    const samples = new Map<Credential, Sample[]>(names.map((n) => [n, []]));
    context.progress('warm-up', 0.1);
    for (const name of names)
      await drive(url, credentials[name], timing.warmupMs, agents, platform.gateway.pid);
    for (let round = 0; round < timing.rounds; round += 1) {
      context.progress(`round ${round + 1} of ${timing.rounds}`, 0.1 + (0.9 * round) / timing.rounds);
      const order = round % 2 === 0 ? names : [...names].reverse();
      for (const name of order)
        samples
          .get(name)!
          .push(await drive(url, credentials[name], timing.roundMs, agents, platform.gateway.pid));
    }
    const summary = new Map<Credential, { p50: number; cpu: number }>();
    for (const name of names) {
      const runs = samples.get(name)!;
      const latencies = runs.flatMap((r) => r.latencies);
      const errors = runs.reduce((n, r) => n + r.errors, 0);
      if (errors > 0)
        notes.push(`${name}: ${errors} errors, first: ${runs.find((r) => r.firstError)?.firstError}`);
      if (latencies.length === 0) {
        failures.push(`requests with a ${name} never succeeded`);
        continue;
      }
      const p50 = percentile(latencies, 50);
      const cpu = median(runs.map((r) => r.cpuMsPerRequest));
      summary.set(name, { p50, cpu });
      figures.push(
        { name: `trivial query p50, ${name}`, value: p50, unit: 'ms' },
        { name: `trivial query p99, ${name}`, value: percentile(latencies, 99), unit: 'ms' },
        {
          name: `trivial query throughput, ${name}`,
          value: median(runs.map((r) => r.perSecond)),
          unit: 'req/s',
        },
        { name: `gateway CPU per request, ${name}`, value: cpu, unit: 'ms' },
      );
    }
    const jwt = summary.get('JWT');
    const key = summary.get('API key');
    if (jwt && key) {
      figures.push(
        { name: 'API key / JWT p50 latency', value: key.p50 / jwt.p50, unit: '×' },
        { name: 'API key / JWT gateway CPU per request', value: key.cpu / jwt.cpu, unit: '×' },
      );
    }
  } finally {
    for (const agent of agents) agent.destroy();
    await platform.close();
  }
  return {
    scenario: apiKeyAuthScenario.name,
    figures,
    notes,
    ...(failures.length > 0 ? { failure: failures.join('; ') } : {}),
  };
}

export const apiKeyAuthScenario: Scenario = {
  name: 'api-key-auth',
  description: 'The cost of authenticating a request with an API key against a JWT (issue 17), in one run',
  run,
};
