/**
 * The light part of the shared library: configuration, clock, errors, logging, tokens and the
 * GraphQL client, without the database, event bus, PubSub or schema building (TypeORM, ioredis,
 * type-graphql). The gateway imports only this: the whole library would add about 70 MB to a
 * process that never opens a database.
 */
export * from './audit/request-facts.js';
export * from './auth/auth.js';
export * from './auth/caching-verifier.js';
export * from './auth/policy.js';
export * from './auth/revocation.js';
export * from './clock/clock.js';
export * from './clock/event-time.js';
export * from './config/config.js';
export * from './errors/errors.js';
export * from './errors/mask.js';
export * from './http/graphql-client.js';
export * from './http/gateway-signature.js';
export * from './http/operation-limits.js';
export * from './http/subscription-resume.js';
export * from './logging/logger.js';
export * from './lifecycle/readiness.js';
export * from './lifecycle/shutdown.js';
export type { ServiceHandle } from './http/subgraph-server.js';
export * from './http/graphql-http.js';
export * from './federation/scalars.js';
export * from './validation/text.js';
export * from './validation/input.js';
export * from './telemetry/tracing.js';
export * from './telemetry/metrics.js';
export * from './telemetry/observability.js';
export * from './auth/api-keys.js';
export * from './http/apollo-options.js';
