import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('gives embedded defaults on an empty environment', () => {
    const config = loadConfig({});
    expect(config.database).toEqual({ kind: 'sqlite' });
    expect(config.redisUrl).toBeUndefined();
    expect(config.ports).toEqual({
      gateway: 4000,
      accounts: 4001,
      allocation: 4002,
      billing: 4003,
      enforcement: 4004,
    });
    expect(config.subgraphUrls.billing).toBe('http://127.0.0.1:4003/graphql');
    expect(config.jwt.secret).toBeDefined();
    expect(config.introspection).toBe(true);
    expect(config.gatewayForwarding).toBe(true);
    expect(config.usageDeriveDelayMs).toBe(5000);
  });

  it('keeps idempotency keys a day and API key verdicts 5 s by default, within bounds', () => {
    const config = loadConfig({});
    expect(config.idempotency).toEqual({ ttlSeconds: 86_400, waitMs: 15_000 });
    expect(config.apiKeys).toEqual({ cacheMs: 5000, tokenSeconds: 300, lastUsedIntervalSeconds: 60 });
    expect(loadConfig({ IDEMPOTENCY_TTL_SECONDS: '2' }).idempotency.ttlSeconds).toBe(2);
    // A key's platform token never outlives what any token may.
    expect(
      loadConfig({ API_KEY_TOKEN_SECONDS: '3600', JWT_MAX_LIFETIME_SECONDS: '120' }).apiKeys.tokenSeconds,
    ).toBe(120);
    expect(() => loadConfig({ IDEMPOTENCY_TTL_SECONDS: '0' })).toThrow(/IDEMPOTENCY_TTL_SECONDS/);
    expect(() => loadConfig({ API_KEY_CACHE_MS: '60001' })).toThrow(/API_KEY_CACHE_MS/);
    expect(() => loadConfig({ API_KEY_TOKEN_SECONDS: '4' })).toThrow(/API_KEY_TOKEN_SECONDS/);
  });

  it("lets an operator turn the gateway's forwarding off, and refuses what is not a boolean", () => {
    expect(loadConfig({ GATEWAY_FORWARDING: 'false' }).gatewayForwarding).toBe(false);
    expect(() => loadConfig({ GATEWAY_FORWARDING: 'sometimes' })).toThrow(ConfigError);
  });

  it('grants CORS to no origin by default, to listed origins when set, and refuses what is not an origin', () => {
    expect(loadConfig({}).cors).toEqual({ allowedOrigins: [], maxAgeSeconds: 600 });
    expect(
      loadConfig({ CORS_ALLOWED_ORIGINS: ' https://portal.example.com , http://localhost:5173,' }).cors
        .allowedOrigins,
    ).toEqual(['https://portal.example.com', 'http://localhost:5173']);
    for (const bad of [
      '*',
      'portal.example.com',
      'https://portal.example.com/',
      'https://a.example/x',
      'ftp://a.example',
    ]) {
      expect(() => loadConfig({ CORS_ALLOWED_ORIGINS: bad })).toThrow(
        /CORS_ALLOWED_ORIGINS:.*is not an origin/,
      );
    }
    expect(() => loadConfig({ CORS_MAX_AGE_SECONDS: '86401' })).toThrow(/CORS_MAX_AGE_SECONDS:/);
  });

  it('bounds connection pages: 50 by default, at most 200, both settable, the default never above the maximum', () => {
    expect(loadConfig({}).pagination).toEqual({ defaultSize: 50, maxSize: 200 });
    expect(loadConfig({ PAGE_SIZE_DEFAULT: '20', PAGE_SIZE_MAX: '500' }).pagination).toEqual({
      defaultSize: 20,
      maxSize: 500,
    });
    expect(() => loadConfig({ PAGE_SIZE_DEFAULT: '300' })).toThrow(
      /PAGE_SIZE_DEFAULT: must not exceed PAGE_SIZE_MAX/,
    );
    expect(() => loadConfig({ PAGE_SIZE_MAX: '0' })).toThrow(/PAGE_SIZE_MAX/);
  });

  it('has cost limits per role by default, lets MAX_QUERY_COST_BY_ROLE override some, and refuses a malformed entry', () => {
    expect(loadConfig({}).limits.maxCostByRole).toEqual({
      LICENSING_ADMIN: 50_000,
      PARTNER: 25_000,
      CUSTOMER_ADMIN: 15_000,
      SUPERVISOR: 15_000,
      SERVER: 5000,
    });
    const set = loadConfig({ MAX_QUERY_COST_BY_ROLE: 'PARTNER=40000, SERVER=1000' }).limits.maxCostByRole;
    expect(set).toMatchObject({ LICENSING_ADMIN: 50_000, PARTNER: 40_000, SERVER: 1000 });
    for (const bad of ['PARTNER', 'PARTNER=0', 'PARTNER=-5', 'GUEST=100', 'PARTNER=1e4']) {
      expect(() => loadConfig({ MAX_QUERY_COST_BY_ROLE: bad })).toThrow(
        /MAX_QUERY_COST_BY_ROLE:.*ROLE=limit/,
      );
    }
  });

  it('accepts event times up to EVENT_FUTURE_TOLERANCE_SECONDS ahead (default 300), 0 to a day', () => {
    expect(loadConfig({}).eventFutureToleranceSeconds).toBe(300);
    expect(loadConfig({ EVENT_FUTURE_TOLERANCE_SECONDS: '0' }).eventFutureToleranceSeconds).toBe(0);
    expect(loadConfig({ EVENT_FUTURE_TOLERANCE_SECONDS: '86400' }).eventFutureToleranceSeconds).toBe(86_400);
    for (const bad of ['-1', '86401', '1.5', 'soon']) {
      expect(() => loadConfig({ EVENT_FUTURE_TOLERANCE_SECONDS: bad })).toThrow(
        /EVENT_FUTURE_TOLERANCE_SECONDS:/,
      );
    }
  });

  it('keeps licence usage history 48 hours of minutes, 100 days of hours, 1100 of days, written every 10 s', () => {
    expect(loadConfig({}).usageHistory).toEqual({
      flushSeconds: 10,
      minuteRetentionHours: 48,
      hourRetentionDays: 100,
      dayRetentionDays: 1100,
    });
    expect(
      loadConfig({ USAGE_HISTORY_FLUSH_SECONDS: '1', USAGE_HISTORY_MINUTE_RETENTION_HOURS: '744' })
        .usageHistory,
    ).toMatchObject({ flushSeconds: 1, minuteRetentionHours: 744 });
    for (const [name, bad] of [
      ['USAGE_HISTORY_FLUSH_SECONDS', '0'],
      ['USAGE_HISTORY_FLUSH_SECONDS', '61'],
      ['USAGE_HISTORY_MINUTE_RETENTION_HOURS', '1'],
      ['USAGE_HISTORY_HOUR_RETENTION_DAYS', 'a while'],
      ['USAGE_HISTORY_DAY_RETENTION_DAYS', '31'],
    ] as const) {
      expect(() => loadConfig({ [name]: bad })).toThrow(new RegExp(`${name}:`));
    }
  });

  it('bounds token lifetimes, keeps the development sign-in off, and has throttling limits by default', () => {
    const config = loadConfig({});
    expect(config.jwt.maxLifetimeSeconds).toBe(86_400);
    expect(config.jwt.serverMaxLifetimeSeconds).toBe(90 * 86_400);
    expect(config.devSignIn).toEqual({ enabled: false, roles: ['SUPERVISOR'] });
    expect(config.metricsToken).toBeUndefined();
    expect(loadConfig({ METRICS_TOKEN: '' }).metricsToken).toBeUndefined();
    expect(config.rateLimits).toEqual({
      windowSeconds: 60,
      principalRequests: 300_000,
      addressRequests: 600_000,
      authFailures: 300,
    });
    expect(loadConfig({ DEV_SIGN_IN_ROLES: ' SUPERVISOR , LICENSING_ADMIN ' }).devSignIn.roles).toEqual([
      'SUPERVISOR',
      'LICENSING_ADMIN',
    ]);
    for (const [variable, value] of [
      ['JWT_MAX_LIFETIME_SECONDS', '0'],
      ['SERVER_CREDENTIAL_LIFETIME_SECONDS', String(365 * 86_400)],
      ['METRICS_TOKEN', 'short'],
      ['RATE_LIMIT_AUTH_FAILURES', '-1'],
      ['DEV_SIGN_IN_ROLES', 'SERVER'],
    ] as const) {
      expect(() => loadConfig({ [variable]: value })).toThrow(new RegExp(`${variable}(\\.\\d+)?:`));
    }
  });

  it('switches to distributed mode with DATABASE_URL and REDIS_URL', () => {
    const config = loadConfig({ DATABASE_URL: 'mysql://root@db:3306', REDIS_URL: 'redis://cache:6379' });
    expect(config.database).toEqual({ kind: 'mariadb', url: 'mysql://root@db:3306', prefix: 'lic' });
    expect(config.redisUrl).toBe('redis://cache:6379');
  });

  it.each([
    [{ GATEWAY_PORT: 'eighty' }, 'GATEWAY_PORT'],
    [{ GATEWAY_PORT: '70000' }, 'GATEWAY_PORT'],
    [{ DATABASE_URL: 'postgres://x' }, 'DATABASE_URL'],
    [{ REDIS_URL: 'not a url' }, 'REDIS_URL'],
    [{ JWT_SECRET: 'short' }, 'JWT_SECRET'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV'],
    [{ USAGE_FILE_KEY: 'abc' }, 'USAGE_FILE_KEY'],
    [{ SESSION_LEASE_SECONDS: '-5' }, 'SESSION_LEASE_SECONDS'],
  ])('refuses %j with a message naming %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`${variable}:`));
  });

  it('reports every problem at once', () => {
    try {
      loadConfig({ GATEWAY_PORT: 'x', BILLING_PORT: 'y' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect((error as ConfigError).problems).toHaveLength(2);
    }
  });

  it('runs no account on the demo enforcement clock by default, and refuses an invalid demo setting', () => {
    expect(loadConfig({}).demoEnforcement).toEqual({ accountIds: [], timeScale: 20_160 });
    expect(
      loadConfig({ DEMO_ENFORCEMENT_ACCOUNT_IDS: ' a-1, b_2 ,a-1,', DEMO_ENFORCEMENT_TIME_SCALE: '604800' })
        .demoEnforcement,
    ).toEqual({ accountIds: ['a-1', 'b_2'], timeScale: 604_800 });
    for (const [scale, message] of [
      ['1', /DEMO_ENFORCEMENT_TIME_SCALE: must be at least 2/],
      ['0.5', /DEMO_ENFORCEMENT_TIME_SCALE: must be a whole number/],
      ['fast', /DEMO_ENFORCEMENT_TIME_SCALE: must be a whole number/],
      ['2000000000', /DEMO_ENFORCEMENT_TIME_SCALE: must be at most/],
    ] as const) {
      expect(() => loadConfig({ DEMO_ENFORCEMENT_TIME_SCALE: scale })).toThrow(message);
    }
    expect(() => loadConfig({ DEMO_ENFORCEMENT_ACCOUNT_IDS: 'acme; drop' })).toThrow(
      /DEMO_ENFORCEMENT_ACCOUNT_IDS: "acme; drop" is not an account id/,
    );
  });

  it('refuses demo enforcement accounts when NODE_ENV=production unless explicitly allowed', () => {
    const production = {
      NODE_ENV: 'production',
      JWT_SECRET: 'x'.repeat(40),
      LICENSE_SIGNING_PRIVATE_KEY: 'pem',
      USAGE_FILE_KEY: 'a'.repeat(64),
      SUBGRAPH_SECRET: 'g'.repeat(40),
    };
    expect(loadConfig(production).demoEnforcement.accountIds).toEqual([]);
    expect(() => loadConfig({ ...production, DEMO_ENFORCEMENT_ACCOUNT_IDS: 'demo-1' })).toThrow(
      /DEMO_ENFORCEMENT_ACCOUNT_IDS: speeds up enforcement, refused when NODE_ENV=production/,
    );
    expect(
      loadConfig({
        ...production,
        DEMO_ENFORCEMENT_ACCOUNT_IDS: 'demo-1',
        DEMO_ENFORCEMENT_IN_PRODUCTION: 'true',
      }).demoEnforcement.accountIds,
    ).toEqual(['demo-1']);
  });

  it('demands real secrets in production and turns introspection off', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET or JWT_JWKS_URL/);
    const config = loadConfig({
      NODE_ENV: 'production',
      JWT_SECRET: 'x'.repeat(40),
      LICENSE_SIGNING_PRIVATE_KEY: 'pem',
      USAGE_FILE_KEY: 'a'.repeat(64),
      SUBGRAPH_SECRET: 'g'.repeat(40),
      INTROSPECTION: 'true',
    });
    expect(config.introspection).toBe(false);
  });

  it('signs subgraph requests with SUBGRAPH_SECRET, required in production, rotated through SUBGRAPH_SECRET_PREVIOUS', () => {
    const production = {
      NODE_ENV: 'production',
      JWT_SECRET: 'x'.repeat(40),
      LICENSE_SIGNING_PRIVATE_KEY: 'pem',
      USAGE_FILE_KEY: 'a'.repeat(64),
    };
    expect(() => loadConfig(production)).toThrow(/SUBGRAPH_SECRET: required when NODE_ENV=production/);
    expect(() => loadConfig({ ...production, SUBGRAPH_SECRET: 'x'.repeat(40) })).toThrow(
      /SUBGRAPH_SECRET: must differ from JWT_SECRET/,
    );
    expect(() => loadConfig({ SUBGRAPH_SECRET: 'short' })).toThrow(/SUBGRAPH_SECRET: must be at least 32/);
    expect(() => loadConfig({ SUBGRAPH_SECRET_PREVIOUS: 'p'.repeat(40) })).toThrow(
      /SUBGRAPH_SECRET_PREVIOUS: only with SUBGRAPH_SECRET/,
    );
    const rotating = loadConfig({
      ...production,
      SUBGRAPH_SECRET: 'n'.repeat(40),
      SUBGRAPH_SECRET_PREVIOUS: 'o'.repeat(40),
    });
    expect(rotating.subgraphSigning).toEqual({
      secret: 'n'.repeat(40),
      previousSecret: 'o'.repeat(40),
      toleranceSeconds: 60,
    });
    // Outside production every process of a deployment derives the same secret from its JWT secret.
    const dev = loadConfig({});
    expect(dev.subgraphSigning.secret).toBe(loadConfig({}).subgraphSigning.secret);
    expect(dev.subgraphSigning.secret).not.toBe(dev.jwt.secret);
    expect(loadConfig({ JWT_SECRET: 'j'.repeat(40) }).subgraphSigning.secret).not.toBe(
      dev.subgraphSigning.secret,
    );
  });

  it('webhook settings: a day of retries by default, loopback never in production, a lease longer than an attempt', () => {
    const defaults = loadConfig({}).webhooks;
    expect(defaults.allowLoopback).toBe(false);
    expect(defaults.retryScheduleMs.reduce((a, b) => a + b, 0)).toBeGreaterThan(20 * 3_600_000);
    expect(defaults.retryScheduleMs.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(24 * 3_600_000);
    expect(loadConfig({ WEBHOOK_ALLOW_LOOPBACK: 'true' }).webhooks.allowLoopback).toBe(true);
    expect(loadConfig({ WEBHOOK_RETRY_SCHEDULE_MS: '100, 200,300' }).webhooks.retryScheduleMs).toEqual([
      100, 200, 300,
    ]);
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env);
        return [];
      } catch (error) {
        return (error as ConfigError).problems;
      }
    };
    expect(problems({ WEBHOOK_RETRY_SCHEDULE_MS: '100,soon' })).toEqual([
      expect.stringMatching(/^WEBHOOK_RETRY_SCHEDULE_MS/),
    ]);
    expect(problems({ WEBHOOK_TIMEOUT_MS: '5000', WEBHOOK_LEASE_MS: '5000' })).toEqual([
      expect.stringMatching(/^WEBHOOK_LEASE_MS: must be longer than WEBHOOK_TIMEOUT_MS/),
    ]);
    expect(
      problems({
        NODE_ENV: 'production',
        JWT_SECRET: 'j'.repeat(40),
        LICENSE_SIGNING_PRIVATE_KEY: 'k',
        USAGE_FILE_KEY: 'a'.repeat(64),
        SUBGRAPH_SECRET: 's'.repeat(40),
        WEBHOOK_ALLOW_LOOPBACK: 'true',
      }),
    ).toEqual([expect.stringMatching(/^WEBHOOK_ALLOW_LOOPBACK: webhook endpoints may never be loopback/)]);
  });

  it('pool alerts: a burst is 10 denials in 5 minutes by default; both settable, nonsense refused by name', () => {
    expect(loadConfig({}).poolAlerts).toEqual({ denialBurstThreshold: 10, denialBurstWindowSeconds: 300 });
    expect(loadConfig({ DENIAL_BURST_THRESHOLD: '3', DENIAL_BURST_WINDOW_SECONDS: '60' }).poolAlerts).toEqual(
      { denialBurstThreshold: 3, denialBurstWindowSeconds: 60 },
    );
    for (const [name, value] of [
      ['DENIAL_BURST_THRESHOLD', '0'],
      ['DENIAL_BURST_WINDOW_SECONDS', '86401'],
      ['DENIAL_BURST_WINDOW_SECONDS', 'soon'],
    ] as const) {
      expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`${name}`));
    }
  });
});
