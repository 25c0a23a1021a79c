import { randomUUID } from 'node:crypto';
import { GraphQLError, type GraphQLFieldResolver, getNamedType } from 'graphql';
import { type DataSource } from 'typeorm';
import { type Principal } from '../auth/auth.js';
import { type Clock } from '../clock/clock.js';
import { type AuditRecordedPayload } from '../events/contracts.js';
import { recordEvent } from '../events/outbox.js';
import { Topics } from '../events/types.js';
import { type Logger } from '../logging/logger.js';
import { type RequestFacts } from './request-facts.js';

/**
 * Mutation fields that are not audited, each with the reason. Every other Mutation field of every
 * subgraph is recorded by the wrapper the shared schema builder puts on it (a test checks the
 * composed schema against this list).
 */
export const AUDIT_EXEMPT: Readonly<Record<string, string>> = {
  heartbeat: 'a server renewing its lease every few seconds; changes nothing an auditor asks about',
  logon: 'a user session starting: recorded as the session-started event and in usage, at call-centre volume',
  logoff: 'a user session ending: recorded as the session-ended event and in usage, at call-centre volume',
  openCall: 'call tracking from the telephony server, at call volume; no licence, order or standing changes',
  closeCall: 'call tracking from the telephony server, at call volume; no licence, order or standing changes',
  reportServerStarted: 'a machine report of a restart (recorded as the server-started event)',
  recordCheckIn: 'a server check-in (telemetry kept in the check-in history itself)',
  checkIn: 'a server check-in (telemetry kept in the check-in history itself)',
};

/** Where audit entries go: the subgraph's outbox (event `audit.recorded`), to the accounts subgraph's store. */
export interface AuditSink {
  /** The subgraph's clock: an entry's time. */
  clock: Clock;
  logger?: Logger;
  record(entry: AuditRecordedPayload): Promise<void>;
}

export interface AuditBinding {
  sink: AuditSink;
  facts: RequestFacts;
  principal: Principal | undefined;
  service: string;
}

/**
 * Kept on the context object itself, under a symbol: Apollo Server hands resolvers a shallow copy
 * of the context it was given (a copy keeps the property, a WeakMap keyed by the original would not).
 */
const BINDING = Symbol('audit binding');

/** Ties a request's context to where its audit entries go and the request's facts (subgraph server). */
export function bindAudit(context: object, binding: AuditBinding): void {
  (context as { [BINDING]?: AuditBinding })[BINDING] = binding;
}

function bindingOf(context: unknown): AuditBinding | undefined {
  return context && typeof context === 'object'
    ? (context as { [BINDING]?: AuditBinding })[BINDING]
    : undefined;
}

const SECRET_KEY = /secret|password|passphrase|token|private|signingkey|apikey|credential/i;
const LONG_TEXT = 500;
const MAX_CHANGE = 16_000;

/**
 * The change as recorded: the arguments with secrets replaced by "[redacted]" (any key that names
 * a secret, a password, a token, a private or signing key) and long text (file contents, uploads)
 * by its length, so that the log neither leaks credentials nor grows with payloads.
 */
export function redactChange(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[nested]';
  if (typeof value === 'string') return value.length > LONG_TEXT ? `[${value.length} characters]` : value;
  if (Array.isArray(value)) {
    const shown = value.slice(0, 50).map((v) => redactChange(v, depth + 1));
    return value.length > 50 ? [...shown, `[${value.length - 50} more]`] : shown;
  }
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      out[key] =
        SECRET_KEY.test(key) && v !== null && v !== undefined ? '[redacted]' : redactChange(v, depth + 1);
    }
    return out;
  }
  return value;
}

function changeText(args: unknown): string {
  const text = JSON.stringify(redactChange(args ?? {}));
  return text.length > MAX_CHANGE ? JSON.stringify({ truncated: true, length: text.length }) : text;
}

/** Ids named in the arguments (`id`, `…Id`, `…Ids`, at any depth) and the result's own `id`. */
export function targetIdsOf(args: unknown, result: unknown): string[] {
  const ids = new Set<string>();
  const walk = (value: unknown, depth: number): void => {
    if (depth > 6 || !value || typeof value !== 'object' || ids.size >= 50) return;
    if (Array.isArray(value)) {
      for (const v of value) walk(v, depth + 1);
      return;
    }
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      if (/^id$|Id$/.test(key) && (typeof v === 'string' || typeof v === 'number')) {
        ids.add(String(v));
      } else if (/Ids$/.test(key) && Array.isArray(v)) {
        for (const x of v) if (typeof x === 'string') ids.add(x);
      } else {
        walk(v, depth + 1);
      }
    }
  };
  if (result && typeof result === 'object') {
    const own = (result as Record<string, unknown>)['id'];
    if (typeof own === 'string' || typeof own === 'number') ids.add(String(own));
  }
  walk(args, 0);
  return [...ids].slice(0, 50).map((id) => id.slice(0, 200));
}

const ACCOUNT_KEYS = ['accountId', 'endUserAccountId'] as const;

/**
 * The account an entry belongs to (whose administrators read it): for a change, the account named
 * in the arguments, else the one the result belongs to (an Account returned: itself), else the
 * caller's. A refused attempt belongs to the caller's account when it has one: another tenant's
 * log does not learn who tried (the licensing team, who sees every account, sees both).
 */
export function accountOf(
  args: unknown,
  result: unknown,
  principal: Principal | undefined,
  returnedType?: string,
  refused = false,
): string | null {
  const find = (value: unknown, depth: number): string | undefined => {
    if (depth > 4 || !value || typeof value !== 'object' || Array.isArray(value)) return undefined;
    const record = value as Record<string, unknown>;
    // A sales order names its customer as the end user (its partner is the sold-to account).
    for (const key of ACCOUNT_KEYS) if (typeof record[key] === 'string') return record[key];
    for (const v of Object.values(record)) {
      const found = find(v, depth + 1);
      if (found) return found;
    }
    return undefined;
  };
  const own = result && typeof result === 'object' ? (result as Record<string, unknown>) : {};
  const fromResult =
    ACCOUNT_KEYS.map((key) => own[key]).find((v): v is string => typeof v === 'string') ??
    (returnedType === 'Account' && typeof own['id'] === 'string' ? own['id'] : undefined);
  const id = refused
    ? (principal?.accountId ?? find(args, 0) ?? null)
    : (find(args, 0) ?? fromResult ?? principal?.accountId ?? null);
  return id && id.length <= 64 ? id : null;
}

function errorCodeOf(error: unknown): string {
  if (error instanceof GraphQLError) {
    const code = error.extensions['code'];
    if (typeof code === 'string') return code.slice(0, 60);
  }
  return 'INTERNAL_SERVER_ERROR';
}

/** The resolvers `audited` wrapped. */
const AUDITED = new WeakSet<object>();

/**
 * The one audit mechanism: the shared schema builder wraps every Mutation resolver of every
 * subgraph with this. After the resolver settles it writes one entry (who, what, targets, the
 * redacted change, when, from where, and the outcome: SUCCEEDED, or REFUSED with the error's code;
 * denied attempts are recorded too, an auditor wants them) through the subgraph's outbox. The
 * entry is committed before the answer goes back: a client that saw an answer has its entry in the
 * outbox, which publishes it to the accounts subgraph even if this process dies right after.
 * Fields listed in AUDIT_EXEMPT, and contexts without a binding (SDL printing, unit tests of a
 * schema), are passed through.
 */
export function audited(
  fieldName: string,
  resolve: GraphQLFieldResolver<unknown, object>,
): GraphQLFieldResolver<unknown, object> {
  if (Object.hasOwn(AUDIT_EXEMPT, fieldName)) return resolve;
  const wrapped: GraphQLFieldResolver<unknown, object> = async (root, args, context, info) => {
    const binding = bindingOf(context);
    if (!binding) return resolve(root, args, context, info);
    const write = async (outcome: 'SUCCEEDED' | 'REFUSED', result: unknown, error: unknown) => {
      const { principal, facts } = binding;
      const credential = principal
        ? (principal.credential ?? { kind: 'token' as const, id: principal.sub })
        : undefined;
      const entry: AuditRecordedPayload = {
        entryId: randomUUID(),
        accountId: accountOf(
          args,
          result,
          principal,
          getNamedType(info.returnType).name,
          outcome === 'REFUSED',
        ),
        subject: principal?.sub.slice(0, 200) ?? null,
        roles: principal ? [...principal.roles] : [],
        credentialKind: credential?.kind ?? null,
        credentialId: credential?.id.slice(0, 200) ?? null,
        operation: info.operation.name?.value.slice(0, 200) ?? null,
        field: info.fieldName,
        service: binding.service,
        targetIds: targetIdsOf(args, result),
        change: changeText(args),
        outcome,
        errorCode: outcome === 'REFUSED' ? errorCodeOf(error) : null,
        requestId: facts.requestId ?? null,
        clientAddress: facts.clientAddress ?? null,
        occurredAt: binding.sink.clock.now().toISOString(),
      };
      try {
        await binding.sink.record(entry);
      } catch (failure) {
        // The change has happened (or was refused) already: failing the answer now would invite a
        // retry of a change that took effect. The caller gets its answer; the log says it loudly,
        // with the whole entry.
        binding.sink.logger?.error({ err: failure, entry }, 'audit entry could not be written');
      }
    };
    let result: unknown;
    try {
      result = await resolve(root, args, context, info);
    } catch (error) {
      await write('REFUSED', undefined, error);
      throw error;
    }
    await write('SUCCEEDED', result, undefined);
    return result;
  };
  AUDITED.add(wrapped);
  return wrapped;
}

/** Whether a resolver is wrapped by `audited` (the coverage test reads the built schemas). */
export function isAudited(resolve: unknown): boolean {
  return typeof resolve === 'function' && AUDITED.has(resolve);
}

/** Wraps every Mutation resolver of a resolver map with `audited` (the shared schema builder). */
export function auditMutations(resolvers: Record<string, unknown>): Record<string, unknown> {
  const mutation = resolvers['Mutation'] as Record<string, unknown> | undefined;
  if (!mutation) return resolvers;
  const wrapped: Record<string, unknown> = {};
  for (const [field, resolve] of Object.entries(mutation)) {
    wrapped[field] =
      typeof resolve === 'function'
        ? audited(field, resolve as GraphQLFieldResolver<unknown, object>)
        : resolve;
  }
  return { ...resolvers, Mutation: wrapped };
}

/** Writes entries through the subgraph's outbox, each in its own transaction. */
export function outboxAuditSink(dataSource: DataSource, clock: Clock, logger?: Logger): AuditSink {
  return {
    clock,
    ...(logger ? { logger } : {}),
    record: async (entry) => {
      await dataSource.transaction((manager) =>
        recordEvent(manager, clock, Topics.AuditRecorded, entry, new Date(entry.occurredAt), entry.entryId),
      );
    },
  };
}
