/**
 * Readiness (`GET /readyz`) of every process, one contract:
 *
 *   { status: 'ready' | 'degraded' | 'not ready' | 'stopping',
 *     checks: { <dependency>: { ok, latencyMs?, error?, ... } }, ... }
 *
 * HTTP 200 for `ready` and `degraded` (the process serves: an orchestrator keeps it in rotation),
 * 503 for `not ready` and `stopping`. A dependency the process cannot serve without is `required`
 * (down: not ready); one it serves without, in part, is `optional` (down: degraded). Every check
 * is bounded by a timeout, and a report is reused for `cacheMs` (concurrent probes share one run),
 * so probes cannot pile up on a dependency that hangs.
 */

export type ReadinessStatus = 'ready' | 'degraded' | 'not ready' | 'stopping';

export interface CheckResult {
  ok: boolean;
  latencyMs?: number;
  error?: string;
  /** What a check adds (a subgraph's own status, the capability it carries, a backlog...). */
  [detail: string]: unknown;
}

/** What a check's probe returns: nothing (ok), or details; it throws (or times out) when down. */
export type CheckDetails = Record<string, unknown> & { ok?: boolean; degraded?: boolean };

export interface ReadinessCheck {
  name: string;
  /** required: down means not ready; optional: down means degraded; info: reported only. */
  severity: 'required' | 'optional' | 'info';
  /** Its own bound (default: the readiness's). */
  timeoutMs?: number;
  /** What the process cannot do while this dependency is down (reported with it, and in `affected`). */
  capability?: string;
  probe(signal: AbortSignal): Promise<CheckDetails | void>;
}

export interface ReadinessReport {
  status: ReadinessStatus;
  checks: Record<string, CheckResult>;
  /** `<dependency>: <capability>` for each dependency down (or degraded) that names one. */
  affected?: string[];
  [detail: string]: unknown;
}

export interface ReadinessOptions {
  service: string;
  checks?: ReadinessCheck[];
  /** Bound of each check (default 1 s). */
  timeoutMs?: number;
  /** A report is reused this long (default 1 s). */
  cacheMs?: number;
  /** Decides `not ready` beyond the required checks (the gateway: every subgraph down). */
  notReady?(checks: Record<string, CheckResult>): boolean;
  /** Details added to every report (cheap, synchronous or bounded like a check). */
  details?(): Promise<Record<string, unknown>>;
}

export function readinessHttpStatus(status: ReadinessStatus): 200 | 503 {
  return status === 'ready' || status === 'degraded' ? 200 : 503;
}

function message(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    const code = (error as { code?: unknown }).code;
    const own = error.message || (typeof code === 'string' ? code : error.name);
    return cause instanceof Error && cause.message && cause.message !== own
      ? `${own}: ${cause.message}`
      : own;
  }
  return String(error);
}

/** Runs `probe`, failing it after `timeoutMs` (its signal is aborted then). */
export async function runCheck(
  probe: (signal: AbortSignal) => Promise<CheckDetails | void>,
  timeoutMs: number,
): Promise<CheckResult> {
  const controller = new AbortController();
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    const details = (await Promise.race([probe(controller.signal), timeout])) ?? {};
    const latencyMs = Math.round(performance.now() - started);
    return { ...details, ok: details.ok ?? true, latencyMs };
  } catch (error) {
    return { ok: false, latencyMs: Math.round(performance.now() - started), error: message(error) };
  } finally {
    clearTimeout(timer);
  }
}

export class Readiness {
  private readonly checks: ReadinessCheck[];
  private cached: { at: number; report: Promise<ReadinessReport> } | undefined;
  private stoppingSince: number | undefined;
  private last: ReadinessReport | undefined;

  constructor(private readonly options: ReadinessOptions) {
    this.checks = [...(options.checks ?? [])];
  }

  get service(): string {
    return this.options.service;
  }

  get stopping(): boolean {
    return this.stoppingSince !== undefined;
  }

  add(check: ReadinessCheck): void {
    this.checks.push(check);
    this.cached = undefined;
  }

  /** From now on the process answers `stopping` (503): it is shutting down. */
  markStopping(): void {
    this.stoppingSince ??= Date.now();
  }

  /** The current report; while stopping, at once, without running a check (with the last ones seen). */
  async report(): Promise<ReadinessReport> {
    if (this.stopping) {
      return { status: 'stopping', service: this.options.service, checks: this.last?.checks ?? {} };
    }
    const now = performance.now();
    if (!this.cached || now - this.cached.at >= (this.options.cacheMs ?? 1000)) {
      const report = this.run();
      this.cached = { at: now, report };
      void report.then((r) => (this.last = r));
    }
    return this.cached.report;
  }

  private async run(): Promise<ReadinessReport> {
    const timeoutMs = this.options.timeoutMs ?? 1000;
    const results = await Promise.all(
      this.checks.map(
        async (check) =>
          [check, await runCheck((s) => check.probe(s), check.timeoutMs ?? timeoutMs)] as const,
      ),
    );
    const checks: Record<string, CheckResult> = {};
    const affected: string[] = [];
    let status: ReadinessStatus = 'ready';
    for (const [check, result] of results) {
      const { degraded, ...shown } = result;
      checks[check.name] = { ...shown, ...(check.capability ? { capability: check.capability } : {}) };
      if (check.severity === 'info') continue;
      const impaired = !result.ok || degraded === true;
      if (impaired && check.capability) affected.push(`${check.name}: ${check.capability}`);
      if (!result.ok && check.severity === 'required') status = 'not ready';
      else if (impaired && status === 'ready') status = 'degraded';
    }
    if (status !== 'not ready' && this.options.notReady?.(checks)) status = 'not ready';
    const details = this.options.details ? await this.options.details().catch(() => ({})) : {};
    return {
      status,
      service: this.options.service,
      checks,
      ...(affected.length > 0 ? { affected } : {}),
      ...details,
    };
  }
}

/** A cheap query on the process's database (a TypeORM DataSource or anything with `query`). */
export function databaseCheck(dataSource: { query(sql: string): Promise<unknown> }): ReadinessCheck {
  return {
    name: 'database',
    severity: 'required',
    probe: async () => {
      await dataSource.query('SELECT 1');
    },
  };
}

/** Structural: the ioredis client's PING (the light core does not load ioredis). */
export interface Pingable {
  ping(): Promise<string>;
}

/**
 * Redis: PING on a client kept for readiness (created without an offline queue, so that a PING
 * while Redis is down fails at once instead of waiting for a reconnect).
 */
export function redisCheck(
  redis: Pingable,
  severity: ReadinessCheck['severity'] = 'optional',
): ReadinessCheck {
  return {
    name: 'redis',
    severity,
    probe: async () => {
      const reply = await redis.ping();
      if (reply !== 'PONG') throw new Error(`unexpected reply to PING: ${reply}`);
    },
  };
}
