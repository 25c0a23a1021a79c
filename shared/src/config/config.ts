import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { DEFAULT_MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE, type PageBounds } from '../pagination/pagination.js';

export const SUBGRAPH_NAMES = ['accounts', 'allocation', 'billing', 'enforcement'] as const;
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];
export type ServiceName = SubgraphName | 'gateway';

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');
const optionalUrl = (protocols: string[]) =>
  z
    .string()
    .optional()
    .transform((v) => (v === '' ? undefined : v))
    .refine(
      (v) => {
        if (v === undefined) return true;
        try {
          return protocols.includes(new URL(v).protocol);
        } catch {
          return false;
        }
      },
      { message: `must be a URL with protocol ${protocols.join(' or ')}` },
    );

const DEV_JWT_SECRET = 'development-secret-change-me-0123456789';

/**
 * Outside production, without SUBGRAPH_SECRET, the gateway and the subgraphs derive the same
 * secret from the JWT secret (every process of one deployment has it), so development and the
 * distributed test start with no extra setting, yet differ between deployments with their own JWT_SECRET.
 */
function developmentSubgraphSecret(jwtSecret: string | undefined): string {
  return createHmac('sha256', jwtSecret ?? DEV_JWT_SECRET)
    .update('lic subgraph request signing (development)')
    .digest('hex');
}

const DAY_SECONDS = 86_400;
const TOKEN_ROLES = ['LICENSING_ADMIN', 'PARTNER', 'CUSTOMER_ADMIN', 'SUPERVISOR'] as const;
/** A person's role the development sign-in may issue (never SERVER: that is a machine credential). */
export type DevSignInRole = (typeof TOKEN_ROLES)[number];
const roleList = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((v) => [
      ...new Set(
        v
          .split(',')
          .map((r) => r.trim())
          .filter((r) => r !== ''),
      ),
    ])
    .pipe(z.array(z.enum(TOKEN_ROLES)).min(1, `must name at least one of ${TOKEN_ROLES.join(', ')}`));
/**
 * A comma-separated list of web origins (`https://portal.example.com`, `http://localhost:5173`):
 * each must be exactly an origin, scheme http or https with a host and optional port, no path,
 * query or trailing slash, never `*` (the grant carries credentials).
 */
const originList = z
  .string()
  .default('')
  .transform((v) => [
    ...new Set(
      v
        .split(',')
        .map((o) => o.trim())
        .filter((o) => o !== ''),
    ),
  ])
  .superRefine((origins, ctx) => {
    for (const origin of origins) {
      if (!isOrigin(origin)) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: `"${origin}" is not an origin (scheme://host[:port], http or https, nothing after)`,
        });
      }
    }
  });

/** Whether `text` is exactly a web origin as browsers send it in the Origin header. */
export function isOrigin(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === text;
  } catch {
    return false;
  }
}
/** Roles a cost limit may be set for: the people's roles and SERVER (a CIC server's credential). */
const COST_ROLES = [...TOKEN_ROLES, 'SERVER'] as const;
/** Per-role cost limits unless MAX_QUERY_COST_BY_ROLE overrides them (docs/api.md, "Cost"). */
export const DEFAULT_COST_BY_ROLE =
  'LICENSING_ADMIN=50000,PARTNER=25000,CUSTOMER_ADMIN=15000,SUPERVISOR=15000,SERVER=5000';
/** `ROLE=limit,ROLE=limit`: each a known role with a positive whole limit. */
const costByRole = z
  .string()
  .default('')
  .transform((v, ctx) => {
    const limits: Partial<Record<(typeof COST_ROLES)[number], number>> = {};
    for (const part of v
      .split(',')
      .map((p) => p.trim())
      .filter((p) => p !== '')) {
      const match = /^([A-Z_]+)=(\d{1,9})$/.exec(part);
      const role = COST_ROLES.find((r) => r === match?.[1]);
      const limit = Number(match?.[2]);
      if (!match || !role || limit < 1) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: `"${part}" is not ROLE=limit (roles ${COST_ROLES.join(', ')}; limit a positive whole number)`,
        });
        continue;
      }
      limits[role] = limit;
    }
    return limits;
  });
/**
 * Enforcement demo (docs/domain.md, "Demo accounts"): the accounts whose virtual-cloud servers run
 * on a fast clock. A comma-separated list of account ids; empty (the default) speeds up nobody.
 */
const accountIdList = z
  .string()
  .default('')
  .transform((v) => [
    ...new Set(
      v
        .split(',')
        .map((id) => id.trim())
        .filter((id) => id !== ''),
    ),
  ])
  .superRefine((ids, ctx) => {
    for (const id of ids) {
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: `"${id}" is not an account id (1-64 letters, digits, _ or -)`,
        });
      }
    }
  });
/** A real second counts as this many seconds of a demo server's enforcement time: 7 days in 30 s. */
export const DEFAULT_DEMO_ENFORCEMENT_TIME_SCALE = 20_160;
const bounded = (fallback: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);
/** Loopback addresses: the only listeners the development sign-in is offered on. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return (
    h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || /^::ffff:127(\.\d{1,3}){3}$/.test(h)
  );
}

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LISTEN_HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: optionalUrl(['mysql:', 'mariadb:']),
  DATABASE_PREFIX: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,40}$/, 'must be lower-case letters, digits and _')
    .default('lic'),
  REDIS_URL: optionalUrl(['redis:', 'rediss:']),
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_-]{1,40}$/, 'must be 1-40 letters, digits, :, _ or -')
    .default('lic:'),
  GATEWAY_PORT: port(4000),
  ACCOUNTS_PORT: port(4001),
  ALLOCATION_PORT: port(4002),
  BILLING_PORT: port(4003),
  ENFORCEMENT_PORT: port(4004),
  ACCOUNTS_URL: optionalUrl(['http:', 'https:']),
  ALLOCATION_URL: optionalUrl(['http:', 'https:']),
  BILLING_URL: optionalUrl(['http:', 'https:']),
  ENFORCEMENT_URL: optionalUrl(['http:', 'https:']),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  JWT_JWKS_URL: optionalUrl(['http:', 'https:']),
  JWT_ISSUER: z.string().default('licensing-platform'),
  JWT_AUDIENCE: z.string().default('licensing-platform'),
  JWT_MAX_LIFETIME_SECONDS: bounded(DAY_SECONDS, 60, 30 * DAY_SECONDS),
  SERVER_CREDENTIAL_LIFETIME_SECONDS: bounded(90 * DAY_SECONDS, 3600, 180 * DAY_SECONDS),
  DEV_SIGN_IN: bool(false),
  DEV_SIGN_IN_ROLES: roleList('SUPERVISOR'),
  METRICS_TOKEN: z
    .string()
    .optional()
    .transform((v) => (v === '' ? undefined : v))
    .refine((v) => v === undefined || v.length >= 32, { message: 'must be at least 32 characters' }),
  RATE_LIMIT_WINDOW_SECONDS: bounded(60, 1, 3600),
  RATE_LIMIT_PRINCIPAL_REQUESTS: bounded(300_000, 0, 100_000_000),
  RATE_LIMIT_ADDRESS_REQUESTS: bounded(600_000, 0, 100_000_000),
  RATE_LIMIT_AUTH_FAILURES: bounded(300, 0, 1_000_000),
  LICENSE_SIGNING_PRIVATE_KEY: z.string().optional(),
  LICENSE_SIGNING_PUBLIC_KEY: z.string().optional(),
  USAGE_FILE_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex digits (a 256-bit key)')
    .optional(),
  SESSION_LEASE_SECONDS: positiveInt(300),
  SESSION_SWEEP_SECONDS: positiveInt(30),
  ENFORCEMENT_TICK_SECONDS: positiveInt(60),
  LICENSE_EXPIRY_TICK_SECONDS: positiveInt(60),
  BILLABLE_CONCURRENT_MINUTES: positiveInt(30),
  EVENT_FUTURE_TOLERANCE_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
  OUTBOX_POLL_MS: positiveInt(500),
  EVENT_BATCH_WAIT_MS: bounded(100, 0, 1000),
  EVENT_RETENTION_HOURS: z.coerce.number().int().min(1).max(8760).default(168),
  USAGE_HISTORY_FLUSH_SECONDS: bounded(10, 1, 60),
  USAGE_HISTORY_MINUTE_RETENTION_HOURS: bounded(48, 2, 24 * 31),
  USAGE_HISTORY_HOUR_RETENTION_DAYS: bounded(100, 2, 3660),
  USAGE_HISTORY_DAY_RETENTION_DAYS: bounded(1100, 32, 36600),
  USAGE_DERIVE_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(5000),
  SUBGRAPH_TIMEOUT_MS: positiveInt(10000),
  SUBGRAPH_KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(2000).max(600_000).default(65_000),
  GATEWAY_SUBGRAPH_IDLE_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  GATEWAY_KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(2000).max(600_000).default(65_000),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  SHUTDOWN_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(0),
  SUBGRAPH_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  SUBGRAPH_SECRET_PREVIOUS: z
    .string()
    .optional()
    .transform((v) => (v === '' ? undefined : v))
    .refine((v) => v === undefined || v.length >= 32, { message: 'must be at least 32 characters' }),
  SUBGRAPH_SIGNATURE_TOLERANCE_SECONDS: z.coerce.number().int().min(5).max(600).default(60),
  MAX_QUERY_DEPTH: positiveInt(12),
  MAX_QUERY_ALIASES: positiveInt(30),
  MAX_QUERY_COST: positiveInt(5000),
  MAX_QUERY_COST_BY_ROLE: costByRole,
  PAGE_SIZE_DEFAULT: z.coerce.number().int().min(1).max(1000).default(DEFAULT_PAGE_SIZE),
  PAGE_SIZE_MAX: z.coerce.number().int().min(1).max(1000).default(DEFAULT_MAX_PAGE_SIZE),
  MAX_REQUEST_BYTES: positiveInt(1_000_000),
  INTROSPECTION: bool(true),
  CORS_ALLOWED_ORIGINS: originList,
  CORS_MAX_AGE_SECONDS: bounded(600, 0, 86_400),
  GATEWAY_FORWARDING: bool(true),
  API_KEY_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(5000),
  API_KEY_TOKEN_SECONDS: bounded(300, 5, 3600),
  API_KEY_LAST_USED_INTERVAL_SECONDS: bounded(60, 1, 3600),
  IDEMPOTENCY_TTL_SECONDS: bounded(DAY_SECONDS, 1, 7 * DAY_SECONDS),
  IDEMPOTENCY_WAIT_MS: z.coerce.number().int().min(0).max(120_000).default(15_000),
  SEED_DEMO_DATA: bool(true),
  DEMO_ENFORCEMENT_ACCOUNT_IDS: accountIdList,
  DEMO_ENFORCEMENT_TIME_SCALE: z
    .string()
    .trim()
    .regex(/^\d{1,10}$/, 'must be a whole number (enforcement seconds per real second)')
    .default(String(DEFAULT_DEMO_ENFORCEMENT_TIME_SCALE))
    .transform(Number)
    .pipe(
      z
        .number()
        .min(2, 'must be at least 2 (enforcement seconds per real second)')
        .max(1_000_000_000, 'must be at most 1000000000'),
    ),
  DEMO_ENFORCEMENT_IN_PRODUCTION: bool(false),
  OTEL_TRACES_EXPORTER: z.enum(['otlp', 'none', '']).optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl(['http:', 'https:']),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: optionalUrl(['http:', 'https:']),
  OTEL_SERVICE_NAME: z
    .string()
    .optional()
    .transform((v) => (v === '' ? undefined : v)),
  OTEL_BSP_SCHEDULE_DELAY: z.coerce.number().int().min(10).max(600_000).default(5000),
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).default(1),
  WEBHOOK_ALLOW_LOOPBACK: bool(false),
  WEBHOOK_RETRY_SCHEDULE_MS: z
    .string()
    .default('5000,30000,120000,600000,1800000,3600000,7200000,14400000,28800000,28800000')
    .transform((v) => v.split(',').map((x) => Number(x.trim())))
    .pipe(
      z
        .array(
          z
            .number()
            .int()
            .min(0)
            .max(7 * 86_400_000),
        )
        .min(1)
        .max(50),
    ),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  WEBHOOK_CONCURRENCY: bounded(8, 1, 256),
  WEBHOOK_POLL_MS: positiveInt(500),
  WEBHOOK_LEASE_MS: z.coerce.number().int().min(1000).max(3_600_000).default(60_000),
  WEBHOOK_DISABLE_AFTER_FAILURES: bounded(50, 1, 100_000),
  DENIAL_BURST_THRESHOLD: bounded(10, 1, 1_000_000),
  DENIAL_BURST_WINDOW_SECONDS: bounded(300, 1, DAY_SECONDS),
});

export interface Config {
  env: 'development' | 'test' | 'production';
  logLevel: string;
  listenHost: string;
  dataDir: string;
  database: { kind: 'sqlite' } | { kind: 'mariadb'; url: string; prefix: string };
  redisUrl: string | undefined;
  /** Prefix of every Redis key and channel (streams, pub/sub), so deployments can share a Redis. */
  redisPrefix: string;
  ports: Record<ServiceName, number>;
  subgraphUrls: Record<SubgraphName, string>;
  jwt: {
    secret: string | undefined;
    jwksUrl: string | undefined;
    issuer: string;
    audience: string;
    /** The longest a token may still have to live (its `exp` minus now); longer ones are refused. */
    maxLifetimeSeconds: number;
    /** The same bound for machine credentials (role SERVER), and the lifetime the platform issues them with. */
    serverMaxLifetimeSeconds: number;
  };
  /**
   * The dashboard's one-click development sign-in: off unless DEV_SIGN_IN opts in, refused in
   * production and on a listener that is not loopback; it issues only the roles listed.
   */
  devSignIn: { enabled: boolean; roles: DevSignInRole[] };
  /** `/metrics` wants `Authorization: Bearer <token>` when set; unset, it is closed in production. */
  metricsToken: string | undefined;
  /**
   * Fixed-window limits at the gateway (0 turns one off): requests per principal and per client
   * address, and failed authentications per client address, each per window.
   */
  rateLimits: {
    windowSeconds: number;
    principalRequests: number;
    addressRequests: number;
    authFailures: number;
  };
  licenseSigning: { privateKeyPem: string | undefined; publicKeyPem: string | undefined };
  usageFileKeyHex: string | undefined;
  sessionLeaseSeconds: number;
  sessionSweepSeconds: number;
  enforcementTickSeconds: number;
  /** How often allocation's expiry scheduler ends loaded files whose expiry has passed, and accounts announces files nearing theirs. */
  licenseExpiryTickSeconds: number;
  billableConcurrentMinutes: number;
  /**
   * How far ahead of the platform's clock a server's event time (logon, logoff, heartbeat, start,
   * check-in) may lie and still be accepted; beyond it the event is refused with EVENT_IN_FUTURE.
   */
  eventFutureToleranceSeconds: number;
  outboxPollMs: number;
  /**
   * Distributed mode: how long a batch consumer (billing's logons and logoffs) lets events gather
   * after a read that found less than a full batch, before it reads again. Bigger batches, fewer
   * transactions; an event waits at most this long more. 0 reads at once.
   */
  eventBatchWaitMs: number;
  /** How long published outbox events and inbox records are kept before they are pruned. */
  eventRetentionHours: number;
  /**
   * Licence usage history (allocation): how often each process writes what it saw of in-use
   * per licence (one statement for every minute, hour and day bucket touched), and how long each
   * resolution is kept.
   */
  usageHistory: {
    flushSeconds: number;
    minuteRetentionHours: number;
    hourRetentionDays: number;
    dayRetentionDays: number;
  };
  /** How long billing lets session events gather before deriving usage from them. */
  usageDeriveDelayMs: number;
  subgraphTimeoutMs: number;
  /**
   * Pooled gateway-to-subgraph connections: a subgraph closes a connection idle `serverMs`, the
   * gateway's agent closes its own idle ones after `gatewayIdleMs`, at least KEEP_ALIVE_MARGIN_MS
   * sooner, so that the gateway never reuses a connection the subgraph is closing.
   */
  keepAlive: {
    serverMs: number;
    gatewayIdleMs: number;
    /**
     * The gateway closes a client's kept-alive connection idle this long: longer than a load
     * balancer's usual idle timeout (60 s) and than common HTTP clients' (undici 4 s), so that it
     * is the client that closes an idle connection, never the gateway under a request being sent.
     */
    clientMs: number;
  };
  /**
   * On SIGTERM or SIGINT, how long requests in flight are given to finish (then their connections
   * are closed); the outbox flush and closing the connections come after, briefly bounded too.
   */
  shutdownGraceMs: number;
  /**
   * On SIGTERM or SIGINT, how long the process goes on accepting connections while `/readyz`
   * answers `stopping`, so that a load balancer probing it takes it out of rotation first.
   */
  shutdownDelayMs: number;
  /**
   * The gateway signs every subgraph request with `secret`; subgraphs accept `secret` or
   * `previousSecret` (rotation without downtime) within `toleranceSeconds` of their clock.
   */
  subgraphSigning: { secret: string; previousSecret: string | undefined; toleranceSeconds: number };
  /**
   * Operation limits. `maxCost` is the cost limit of a caller without a token (or of a role not
   * in `maxCostByRole`); `maxCostByRole`: DEFAULT_COST_BY_ROLE with MAX_QUERY_COST_BY_ROLE over it.
   */
  limits: {
    maxDepth: number;
    maxAliases: number;
    maxCost: number;
    maxCostByRole: Partial<Record<(typeof COST_ROLES)[number], number>>;
    maxRequestBytes: number;
  };
  /** Connections (`first`/`after`): the page size when `first` is not given, and the largest allowed. */
  pagination: PageBounds;
  introspection: boolean;
  /**
   * Browser pages on these origins may call the gateway's GraphQL endpoint (with credentials);
   * none by default, which sends no CORS grant. `maxAgeSeconds`: how long a preflight is reused.
   */
  cors: { allowedOrigins: string[]; maxAgeSeconds: number };
  /** The gateway passes operations one subgraph answers whole straight to it (gateway/src/forwarding). */
  gatewayForwarding: boolean;
  /**
   * API keys at the gateway: a verified (or refused) key is remembered `cacheMs` (revocation drops
   * it at once); it travels to the subgraphs as a platform token living `tokenSeconds`; accounts
   * records its last use at most every `lastUsedIntervalSeconds`.
   */
  apiKeys: { cacheMs: number; tokenSeconds: number; lastUsedIntervalSeconds: number };
  /**
   * Idempotency-Key: the first answer is kept `ttlSeconds` (24 hours by default); a retry while the
   * first request runs waits up to `waitMs` for it, then is told to retry (409).
   */
  idempotency: { ttlSeconds: number; waitMs: number };
  seedDemoData: boolean;
  /**
   * Enforcement demo (docs/domain.md, "Demo accounts"): the virtual-cloud servers of `accountIds`
   * (and only those) run their enforcement timeline `timeScale` times faster than real time, so a
   * demo walks stages 1 to 6 in minutes. Empty by default; refused when NODE_ENV=production unless
   * DEMO_ENFORCEMENT_IN_PRODUCTION=true.
   */
  demoEnforcement: { accountIds: string[]; timeScale: number };
  /**
   * OpenTelemetry traces, off unless OTEL_TRACES_EXPORTER=otlp or an OTLP endpoint is set (and
   * OTEL_TRACES_EXPORTER is not `none`): spans go over OTLP/HTTP (JSON) to `endpoint`, a batch every
   * `batchDelayMs`; `sampleRatio` of new traces are kept (a client's sampled flag is followed).
   */
  tracing: {
    enabled: boolean;
    endpoint: string;
    serviceName: string | undefined;
    batchDelayMs: number;
    sampleRatio: number;
  };
  /**
   * Webhook delivery: `allowLoopback` lets endpoints use http to a loopback address (never in
   * production), `retryScheduleMs` the wait before each retry (its length is the number of
   * retries), `timeoutMs` per attempt, `concurrency` attempts at once per worker, `pollMs` how often
   * a worker looks for due deliveries, `leaseMs` how long a claimed delivery stays with its worker,
   * `disableAfterFailures` consecutive failed attempts before an endpoint is disabled.
   */
  webhooks: {
    allowLoopback: boolean;
    retryScheduleMs: number[];
    timeoutMs: number;
    concurrency: number;
    pollMs: number;
    leaseMs: number;
    disableAfterFailures: number;
  };
  /**
   * Pool alerts (docs/domain.md, "Pool alerts"): a denial burst is `denialBurstThreshold` denials
   * of one licence on one server within `denialBurstWindowSeconds`.
   */
  poolAlerts: { denialBurstThreshold: number; denialBurstWindowSeconds: number };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment once. Every problem is reported at once, each naming its variable. */
/** How much sooner the gateway closes an idle subgraph connection than the subgraph does. */
export const KEEP_ALIVE_MARGIN_MS = 1000;

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`),
    );
  }
  const e = parsed.data;
  const problems: string[] = [];
  if (e.PAGE_SIZE_DEFAULT > e.PAGE_SIZE_MAX) {
    problems.push('PAGE_SIZE_DEFAULT: must not exceed PAGE_SIZE_MAX');
  }
  if (e.NODE_ENV === 'production' && !e.JWT_SECRET && !e.JWT_JWKS_URL) {
    problems.push('JWT_SECRET or JWT_JWKS_URL: one is required when NODE_ENV=production');
  }
  if (e.NODE_ENV === 'production' && !e.LICENSE_SIGNING_PRIVATE_KEY) {
    problems.push('LICENSE_SIGNING_PRIVATE_KEY: required when NODE_ENV=production');
  }
  if (e.NODE_ENV === 'production' && !e.USAGE_FILE_KEY) {
    problems.push('USAGE_FILE_KEY: required when NODE_ENV=production');
  }
  if (e.NODE_ENV === 'production' && !e.SUBGRAPH_SECRET) {
    problems.push('SUBGRAPH_SECRET: required when NODE_ENV=production (subgraphs answer only the gateway)');
  }
  if (e.SUBGRAPH_SECRET !== undefined && e.SUBGRAPH_SECRET === e.JWT_SECRET) {
    problems.push('SUBGRAPH_SECRET: must differ from JWT_SECRET');
  }
  if (e.SUBGRAPH_SECRET_PREVIOUS !== undefined && !e.SUBGRAPH_SECRET) {
    problems.push('SUBGRAPH_SECRET_PREVIOUS: only with SUBGRAPH_SECRET (the secret it is being rotated to)');
  }
  if (e.DEV_SIGN_IN && e.NODE_ENV === 'production') {
    problems.push('DEV_SIGN_IN: the development sign-in is never offered when NODE_ENV=production');
  }
  if (e.DEV_SIGN_IN && !isLoopbackHost(e.LISTEN_HOST)) {
    problems.push(
      `DEV_SIGN_IN: the development sign-in is offered only on a loopback listener (LISTEN_HOST is ${e.LISTEN_HOST})`,
    );
  }
  if (e.GATEWAY_SUBGRAPH_IDLE_MS + KEEP_ALIVE_MARGIN_MS > e.SUBGRAPH_KEEP_ALIVE_TIMEOUT_MS) {
    problems.push(
      `GATEWAY_SUBGRAPH_IDLE_MS: must be at least ${KEEP_ALIVE_MARGIN_MS} ms below SUBGRAPH_KEEP_ALIVE_TIMEOUT_MS ` +
        `(${e.SUBGRAPH_KEEP_ALIVE_TIMEOUT_MS}), or the gateway may reuse a connection a subgraph is closing`,
    );
  }
  if (e.WEBHOOK_ALLOW_LOOPBACK && e.NODE_ENV === 'production') {
    problems.push('WEBHOOK_ALLOW_LOOPBACK: webhook endpoints may never be loopback when NODE_ENV=production');
  }
  if (e.WEBHOOK_LEASE_MS <= e.WEBHOOK_TIMEOUT_MS) {
    problems.push('WEBHOOK_LEASE_MS: must be longer than WEBHOOK_TIMEOUT_MS (a lease outlives its attempt)');
  }
  if (
    e.DEMO_ENFORCEMENT_ACCOUNT_IDS.length > 0 &&
    e.NODE_ENV === 'production' &&
    !e.DEMO_ENFORCEMENT_IN_PRODUCTION
  ) {
    problems.push(
      'DEMO_ENFORCEMENT_ACCOUNT_IDS: speeds up enforcement, refused when NODE_ENV=production ' +
        '(set DEMO_ENFORCEMENT_IN_PRODUCTION=true only for a deployment that holds no real customer)',
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const ports = {
    gateway: e.GATEWAY_PORT,
    accounts: e.ACCOUNTS_PORT,
    allocation: e.ALLOCATION_PORT,
    billing: e.BILLING_PORT,
    enforcement: e.ENFORCEMENT_PORT,
  };
  const local = (p: number) => `http://127.0.0.1:${p}/graphql`;
  return {
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    listenHost: e.LISTEN_HOST,
    dataDir: e.DATA_DIR,
    database: e.DATABASE_URL
      ? { kind: 'mariadb', url: e.DATABASE_URL, prefix: e.DATABASE_PREFIX }
      : { kind: 'sqlite' },
    redisUrl: e.REDIS_URL,
    redisPrefix: e.REDIS_KEY_PREFIX,
    ports,
    subgraphUrls: {
      accounts: e.ACCOUNTS_URL ?? local(ports.accounts),
      allocation: e.ALLOCATION_URL ?? local(ports.allocation),
      billing: e.BILLING_URL ?? local(ports.billing),
      enforcement: e.ENFORCEMENT_URL ?? local(ports.enforcement),
    },
    jwt: {
      secret: e.JWT_SECRET ?? (e.NODE_ENV === 'production' ? undefined : DEV_JWT_SECRET),
      jwksUrl: e.JWT_JWKS_URL,
      issuer: e.JWT_ISSUER,
      audience: e.JWT_AUDIENCE,
      maxLifetimeSeconds: e.JWT_MAX_LIFETIME_SECONDS,
      serverMaxLifetimeSeconds: e.SERVER_CREDENTIAL_LIFETIME_SECONDS,
    },
    devSignIn: { enabled: e.DEV_SIGN_IN, roles: e.DEV_SIGN_IN_ROLES },
    metricsToken: e.METRICS_TOKEN,
    rateLimits: {
      windowSeconds: e.RATE_LIMIT_WINDOW_SECONDS,
      principalRequests: e.RATE_LIMIT_PRINCIPAL_REQUESTS,
      addressRequests: e.RATE_LIMIT_ADDRESS_REQUESTS,
      authFailures: e.RATE_LIMIT_AUTH_FAILURES,
    },
    licenseSigning: {
      privateKeyPem: e.LICENSE_SIGNING_PRIVATE_KEY,
      publicKeyPem: e.LICENSE_SIGNING_PUBLIC_KEY,
    },
    usageFileKeyHex: e.USAGE_FILE_KEY,
    sessionLeaseSeconds: e.SESSION_LEASE_SECONDS,
    sessionSweepSeconds: e.SESSION_SWEEP_SECONDS,
    enforcementTickSeconds: e.ENFORCEMENT_TICK_SECONDS,
    licenseExpiryTickSeconds: e.LICENSE_EXPIRY_TICK_SECONDS,
    billableConcurrentMinutes: e.BILLABLE_CONCURRENT_MINUTES,
    eventFutureToleranceSeconds: e.EVENT_FUTURE_TOLERANCE_SECONDS,
    outboxPollMs: e.OUTBOX_POLL_MS,
    eventBatchWaitMs: e.EVENT_BATCH_WAIT_MS,
    eventRetentionHours: e.EVENT_RETENTION_HOURS,
    usageHistory: {
      flushSeconds: e.USAGE_HISTORY_FLUSH_SECONDS,
      minuteRetentionHours: e.USAGE_HISTORY_MINUTE_RETENTION_HOURS,
      hourRetentionDays: e.USAGE_HISTORY_HOUR_RETENTION_DAYS,
      dayRetentionDays: e.USAGE_HISTORY_DAY_RETENTION_DAYS,
    },
    usageDeriveDelayMs: e.USAGE_DERIVE_DELAY_MS,
    subgraphTimeoutMs: e.SUBGRAPH_TIMEOUT_MS,
    keepAlive: {
      serverMs: e.SUBGRAPH_KEEP_ALIVE_TIMEOUT_MS,
      gatewayIdleMs: e.GATEWAY_SUBGRAPH_IDLE_MS,
      clientMs: e.GATEWAY_KEEP_ALIVE_TIMEOUT_MS,
    },
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    shutdownDelayMs: e.SHUTDOWN_DELAY_MS,
    subgraphSigning: {
      secret: e.SUBGRAPH_SECRET ?? developmentSubgraphSecret(e.JWT_SECRET),
      previousSecret: e.SUBGRAPH_SECRET_PREVIOUS,
      toleranceSeconds: e.SUBGRAPH_SIGNATURE_TOLERANCE_SECONDS,
    },
    limits: {
      maxDepth: e.MAX_QUERY_DEPTH,
      maxAliases: e.MAX_QUERY_ALIASES,
      maxCost: e.MAX_QUERY_COST,
      maxCostByRole: {
        ...costByRole.parse(DEFAULT_COST_BY_ROLE),
        ...e.MAX_QUERY_COST_BY_ROLE,
      },
      maxRequestBytes: e.MAX_REQUEST_BYTES,
    },
    pagination: { defaultSize: e.PAGE_SIZE_DEFAULT, maxSize: e.PAGE_SIZE_MAX },
    introspection: e.NODE_ENV === 'production' ? false : e.INTROSPECTION,
    cors: { allowedOrigins: e.CORS_ALLOWED_ORIGINS, maxAgeSeconds: e.CORS_MAX_AGE_SECONDS },
    gatewayForwarding: e.GATEWAY_FORWARDING,
    apiKeys: {
      cacheMs: e.API_KEY_CACHE_MS,
      tokenSeconds: Math.min(e.API_KEY_TOKEN_SECONDS, e.JWT_MAX_LIFETIME_SECONDS),
      lastUsedIntervalSeconds: e.API_KEY_LAST_USED_INTERVAL_SECONDS,
    },
    idempotency: { ttlSeconds: e.IDEMPOTENCY_TTL_SECONDS, waitMs: e.IDEMPOTENCY_WAIT_MS },
    seedDemoData: e.SEED_DEMO_DATA,
    demoEnforcement: {
      accountIds: e.DEMO_ENFORCEMENT_ACCOUNT_IDS,
      timeScale: e.DEMO_ENFORCEMENT_TIME_SCALE,
    },
    tracing: {
      enabled:
        e.OTEL_TRACES_EXPORTER === 'otlp' ||
        ((e.OTEL_TRACES_EXPORTER === undefined || e.OTEL_TRACES_EXPORTER === '') &&
          (e.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined ||
            e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT !== undefined)),
      endpoint:
        e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ??
        `${(e.OTEL_EXPORTER_OTLP_ENDPOINT ?? 'http://localhost:4318').replace(/\/+$/, '')}/v1/traces`,
      serviceName: e.OTEL_SERVICE_NAME,
      batchDelayMs: e.OTEL_BSP_SCHEDULE_DELAY,
      sampleRatio: e.OTEL_TRACES_SAMPLER_ARG,
    },
    webhooks: {
      allowLoopback: e.WEBHOOK_ALLOW_LOOPBACK && e.NODE_ENV !== 'production',
      retryScheduleMs: e.WEBHOOK_RETRY_SCHEDULE_MS,
      timeoutMs: e.WEBHOOK_TIMEOUT_MS,
      concurrency: e.WEBHOOK_CONCURRENCY,
      pollMs: e.WEBHOOK_POLL_MS,
      leaseMs: e.WEBHOOK_LEASE_MS,
      disableAfterFailures: e.WEBHOOK_DISABLE_AFTER_FAILURES,
    },
    poolAlerts: {
      denialBurstThreshold: e.DENIAL_BURST_THRESHOLD,
      denialBurstWindowSeconds: e.DENIAL_BURST_WINDOW_SECONDS,
    },
  };
}
