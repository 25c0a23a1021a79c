import { type Platform, type ServiceName, SERVICES } from './platform.js';
import { sleep } from './infra.js';

export interface ReadySample {
  at: number;
  service: ServiceName;
  /** HTTP status, or 0 when nothing answered. */
  status: number;
  body: unknown;
}

async function readyz(url: string): Promise<{ status: number; body: unknown }> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: kept as text
    }
    return { status: res.status, body };
  } catch {
    return { status: 0, body: null };
  }
}

/** Every process's /readyz, twice a second, while a fault runs. */
export class ReadinessMonitor {
  readonly samples: ReadySample[] = [];
  private running = false;
  private loop: Promise<void> | undefined;

  constructor(private readonly platform: Platform) {}

  start(): void {
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        const now = Date.now();
        await Promise.all(
          SERVICES.map(async (service) => {
            const { status, body } = await readyz(`${this.platform.services.get(service)!.baseUrl}/readyz`);
            this.samples.push({ at: now, service, status, body });
          }),
        );
        await sleep(500);
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  /** Waits until every process answers /readyz 200; the instant it did, or undefined. */
  async allReady(timeoutMs: number): Promise<number | undefined> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const answers = await Promise.all(
        SERVICES.map((s) => readyz(`${this.platform.services.get(s)!.baseUrl}/readyz`)),
      );
      if (answers.every((a) => a.status === 200)) return Date.now();
      await sleep(250);
    }
    return undefined;
  }
}

/**
 * Whether a /readyz body names `dependency` as down: `checks.<name>.ok === false`, the readiness
 * contract of every process (`database`, `redis`, `supergraph`, and the gateway's subgraph names).
 */
export function namesDown(body: unknown, dependency: RegExp): boolean {
  if (typeof body !== 'object' || body === null) return false;
  const { checks } = body as { checks?: Record<string, unknown> };
  return Object.entries(checks ?? {}).some(
    ([name, value]) =>
      dependency.test(name) &&
      typeof value === 'object' &&
      value !== null &&
      (value as { ok?: unknown }).ok === false,
  );
}
