import { Kind, parse, type DocumentNode } from 'graphql';
import { keyedTypes } from '@lic/shared';
import { graphqlRequest } from './client.js';
import { subscribe, wsClient } from './ws-client.js';

/**
 * The tenant-isolation matrix: every role (and no token) against every root field, entity
 * reference and subscription of a schema, aimed at another tenant's data. The field list comes
 * from the printed schema, so a new field without an entry fails the test that uses this.
 */

export const MATRIX_ROLES = ['PARTNER', 'CUSTOMER_ADMIN', 'SUPERVISOR', 'SERVER'] as const;
export type MatrixRole = (typeof MATRIX_ROLES)[number] | 'LICENSING_ADMIN';

export interface MatrixOperation {
  query: string;
  variables?: Record<string, unknown>;
}

export interface MatrixEntry {
  /** The operation, aimed at the foreign tenant. */
  foreign: MatrixOperation;
  /** More shapes of the same field (another argument naming the foreign tenant), checked alike. */
  also?: MatrixOperation[];
  /**
   * 'refused' (default): the root field is null, an empty list or an error; 'own-only': a list or
   * answer that may be non-empty but must hold nothing of the foreign tenant; 'public': answered to
   * anyone signed in (no tenant data), and still nothing of the foreign tenant.
   */
  answer?: 'refused' | 'own-only' | 'public';
  /**
   * The licensing team sees every tenant: its foreign answer must hold the foreign data (true), or
   * at least answer without an error where the answer names nothing ('answers'). Proves the
   * operation is live, so that the refusals above are the policy's and not a broken query's.
   */
  adminSees?: boolean | 'answers';
}

/** `Query.account`, `Mutation.createAccount`, `Subscription.x` and `Entity.Account` for each keyed type. */
export function matrixKeys(sdl: string): string[] {
  const keys: string[] = [];
  for (const d of parse(sdl).definitions) {
    if (d.kind !== Kind.OBJECT_TYPE_DEFINITION && d.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    if (!['Query', 'Mutation', 'Subscription'].includes(d.name.value)) continue;
    for (const f of d.fields ?? []) keys.push(`${d.name.value}.${f.name.value}`);
  }
  for (const type of keyedTypes(sdl)) keys.push(`Entity.${type}`);
  return keys.sort();
}

/** An `_entities` operation for one representation, selecting `fields`. */
export function entityOperation(
  type: string,
  representation: Record<string, unknown>,
  fields: string,
): MatrixOperation {
  return {
    query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on ${type} { ${fields} } } }`,
    variables: { r: [{ __typename: type, ...representation }] },
  };
}

const ALLOWED_CODES = new Set(['FORBIDDEN', 'NOT_FOUND', 'UNAUTHENTICATED', 'BAD_USER_INPUT']);

export interface MatrixOutcome {
  key: string;
  role: string;
  problem: string;
}

interface Answer {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

function isSubscription(document: DocumentNode): boolean {
  return document.definitions.some(
    (d) => d.kind === Kind.OPERATION_DEFINITION && d.operation === 'subscription',
  );
}

async function ask(url: string, operation: MatrixOperation, token: string | undefined): Promise<Answer> {
  if (!isSubscription(parse(operation.query)))
    return (await graphqlRequest(url, operation.query, operation.variables ?? {}, token)) as Answer;
  const client = wsClient(url, token);
  let closeCode: unknown;
  client.on('closed', (event) => {
    closeCode = (event as { code?: unknown }).code;
  });
  const subscription = subscribe<Record<string, unknown>>(client, operation.query, operation.variables ?? {});
  try {
    // A refused subscription answers at once; an accepted one stays open (and silent, as nothing happens).
    const first = await subscription.next(1, 1500).catch((error: unknown) => ({ error }));
    if ('error' in first) return refusedSubscription(first.error, closeCode);
    return first as Answer;
  } finally {
    subscription.close();
    await client.dispose();
  }
}

/** A socket closed on connect (4401/4403) is the subscription transport's UNAUTHENTICATED. */
function refusedSubscription(error: unknown, closeCode: unknown): Answer {
  if (error instanceof Error && /within \d+ ms/.test(error.message)) return { data: { open: true } };
  if (closeCode === 4401 || closeCode === 4403)
    return {
      errors: [{ message: `socket closed ${String(closeCode)}`, extensions: { code: 'UNAUTHENTICATED' } }],
    };
  const list = Array.isArray(error) ? error : [error];
  return { errors: list as NonNullable<Answer['errors']> };
}

function rootValues(answer: Answer): unknown[] {
  const data = answer.data ?? {};
  const values = Object.values(data);
  return values.flatMap((v) => (Array.isArray(v) && Object.keys(data)[0] === '_entities' ? v : [v]));
}

function problemOf(
  answer: Answer,
  entry: MatrixEntry,
  markers: readonly string[],
  anonymous: boolean,
): string | undefined {
  const text = JSON.stringify(answer.data ?? null);
  const leaked = markers.find((m) => text.includes(m));
  if (leaked) return `answered foreign data (${leaked}): ${text.slice(0, 300)}`;
  for (const error of answer.errors ?? []) {
    const code = String(error.extensions?.['code']);
    if (!ALLOWED_CODES.has(code)) return `error ${code}: ${error.message}`;
  }
  if (anonymous) {
    const codes = (answer.errors ?? []).map((e) => e.extensions?.['code']);
    if (!codes.includes('UNAUTHENTICATED'))
      return `answered without a token: ${JSON.stringify(answer).slice(0, 300)}`;
    return undefined;
  }
  if ((entry.answer ?? 'refused') !== 'refused') return undefined;
  // An entity whose fields were each refused (nullable fields: each null with its FORBIDDEN error)
  // gives nothing either.
  const allNull = (v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((f) => f === null);
  const given = rootValues(answer).filter(
    (v) => v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0) && !allNull(v),
  );
  if (given.length > 0) return `was not refused: ${JSON.stringify(answer).slice(0, 300)}`;
  return undefined;
}

/**
 * Runs the matrix and returns every problem found (the bar is none). `markers` are strings only
 * the foreign tenant's data contains (its ids, names): none may appear in an answer to a role of
 * the own tenant.
 */
export async function runIsolationMatrix(options: {
  url: string;
  entries: Record<string, MatrixEntry>;
  tokens: Partial<Record<MatrixRole, string>>;
  /** More callers of the own tenant, by label (e.g. a person's token that also names B's server). */
  extra?: Record<string, string>;
  markers: readonly string[];
}): Promise<MatrixOutcome[]> {
  const callers: Array<[string, string]> = [
    ...MATRIX_ROLES.flatMap((role): Array<[string, string]> => {
      const token = options.tokens[role];
      return token ? [[role, token]] : [];
    }),
    ...Object.entries(options.extra ?? {}),
  ];
  const outcomes: MatrixOutcome[] = [];
  for (const [key, entry] of Object.entries(options.entries).sort(([a], [b]) => a.localeCompare(b))) {
    for (const operation of [entry.foreign, ...(entry.also ?? [])]) {
      const anonymous = await ask(options.url, operation, undefined);
      const problem = problemOf(anonymous, entry, options.markers, true);
      if (problem) outcomes.push({ key, role: 'anonymous', problem });
      for (const [role, token] of callers) {
        const answer = await ask(options.url, operation, token);
        const found = problemOf(answer, entry, options.markers, false);
        if (found) outcomes.push({ key, role, problem: found });
      }
    }
    if (entry.adminSees && options.tokens.LICENSING_ADMIN) {
      const answer = await ask(options.url, entry.foreign, options.tokens.LICENSING_ADMIN);
      const text = JSON.stringify(answer.data ?? null);
      const named = entry.adminSees === 'answers' || options.markers.some((m) => text.includes(m));
      if (answer.errors?.length || !answer.data || !named)
        outcomes.push({
          key,
          role: 'LICENSING_ADMIN',
          problem: `the licensing team should see the foreign data: ${JSON.stringify(answer).slice(0, 300)}`,
        });
    }
  }
  return outcomes;
}

/**
 * The other half of the matrix: the own tenant's callers read their own data. Every `Query.*`
 * row the licensing team answers (`adminSees`) must answer each of `tokens` without an error and,
 * where the row names data (`adminSees: true`), with the own tenant's markers in it.
 */
export async function runOwnTenantReads(options: {
  url: string;
  entries: Record<string, MatrixEntry>;
  tokens: Record<string, string>;
  markers: readonly string[];
}): Promise<MatrixOutcome[]> {
  const outcomes: MatrixOutcome[] = [];
  const reads = Object.entries(options.entries).filter(([key, e]) => key.startsWith('Query.') && e.adminSees);
  for (const [key, entry] of reads) {
    for (const [role, token] of Object.entries(options.tokens)) {
      const answer = await ask(options.url, entry.foreign, token);
      const text = JSON.stringify(answer.data ?? null);
      const named = entry.adminSees === 'answers' || options.markers.some((m) => text.includes(m));
      if (answer.errors?.length || !named)
        outcomes.push({
          key,
          role,
          problem: `own data not answered: ${JSON.stringify(answer).slice(0, 300)}`,
        });
    }
  }
  return outcomes;
}
