import { type IncomingMessage, type ServerResponse } from 'node:http';
import { ERRORS, errorCodeDef } from '@apollo/federation-internals';
import { type FetchNode } from '@apollo/query-planner';
import { type Fetcher, type FetcherResponse } from '@apollo/utils.fetcher';
import {
  type DocumentNode,
  type GraphQLFormattedError,
  GraphQLError,
  type GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
  getVariableValues,
  isNonNullType,
  parse,
  print,
} from 'graphql';
import Negotiator from 'negotiator';
import { type Credentials } from '../auth.js';
import { LruCache } from '../lru.js';
import { type OperationGuard } from '../limits/operation-guard.js';
import { type SupergraphPlanner } from '../subscriptions/planner.js';
import { requestFactHeaders, requestFactsOf } from '../request-facts.js';

/**
 * A query or mutation whose whole plan is one fetch to one subgraph, asking exactly what the
 * client asked: the subgraph's answer is the answer, so it can be passed on without the query-plan
 * executor and its result shaping.
 */
export interface ForwardablePlan {
  service: string;
  operationType: 'query' | 'mutation';
  operation: OperationDefinitionNode;
  /** The API schema it was planned against (variables are coerced against it). */
  schema: GraphQLSchema;
  /** The planner's text for the fetch, sent as the executor sends it. */
  query: string;
  operationName: string | undefined;
  variableUsages: readonly string[];
  /** The data when the subgraph answers none: each root field null, or null when one may not be. */
  emptyData: Record<string, null> | null;
}

/** The parts of a GraphQL-over-HTTP POST body the forwarder looks at. */
export interface ForwardRequest {
  query: string;
  operationName: string | undefined;
  variables: unknown;
}

export interface ForwarderDependencies {
  guard: OperationGuard;
  planner(): SupergraphPlanner | undefined;
  fetcher: Fetcher;
  subgraphUrl(service: string): string | undefined;
  /** The caller's credentials, or an error (the forwarder then leaves the request to Apollo). */
  authenticate(authorization: string | undefined): Promise<Credentials>;
  /** The gateway's formatError: masking, and the clean "subgraph unavailable" error. */
  formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError;
  /** Each error code sent (metrics). */
  countErrors(codes: unknown[]): void;
  /** A request answered by forwarding, by subgraph (metrics). */
  forwarded(service: string): void;
}

const APPLICATION_JSON = 'application/json; charset=utf-8';
const GRAPHQL_RESPONSE_JSON = 'application/graphql-response+json; charset=utf-8';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The selections as text, so that the client's operation and the planner's fetch can be compared. */
function selectionsText(operation: OperationDefinitionNode): string {
  return print(operation.selectionSet);
}

/**
 * Whether a plan is one fetch that asks the subgraph exactly what the client asked (no entity
 * fetches, no added `__typename`, no rewrites, no conditions, no gateway-resolved fields such as
 * introspection), and if so what forwarding it needs.
 */
export function forwardablePlan(
  planner: SupergraphPlanner,
  document: DocumentNode,
  operation: OperationDefinitionNode,
): ForwardablePlan | null {
  if (operation.operation === 'subscription') return null;
  const node = planner.planOperation(document, operation.name?.value).node;
  if (node?.kind !== 'Fetch') return null;
  const fetch: FetchNode = node;
  if (fetch.requires || fetch.inputRewrites?.length || fetch.outputRewrites?.length) return null;
  if (fetch.contextRewrites?.length) return null;
  const sent = parse(fetch.operation).definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  if (!sent || sent.operation !== operation.operation) return null;
  if (selectionsText(sent) !== selectionsText(operation)) return null;
  const rootType =
    operation.operation === 'mutation'
      ? planner.apiSchema.getMutationType()
      : planner.apiSchema.getQueryType();
  if (!rootType) return null;
  const fields = rootType.getFields();
  const emptyData: Record<string, null> = {};
  let nullable = true;
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD) return null;
    const field = fields[selection.name.value];
    if (!field) return null;
    if (isNonNullType(field.type)) nullable = false;
    emptyData[selection.alias?.value ?? selection.name.value] = null;
  }
  return {
    service: fetch.serviceName,
    operationType: operation.operation,
    operation,
    schema: planner.apiSchema,
    query: fetch.operation,
    operationName: fetch.operationName,
    variableUsages: fetch.variableUsages ?? [],
    emptyData: nullable ? emptyData : null,
  };
}

/** Whether a response body has no member but `data`. */
function onlyData(body: Record<string, unknown>): boolean {
  for (const key in body) if (key !== 'data') return false;
  return true;
}

/** A subgraph error as the query-plan executor wraps it (its code kept, the service named). */
function downstreamError(raw: unknown, service: string): GraphQLError {
  const original = isPlainObject(raw) ? raw : {};
  const message =
    typeof original['message'] === 'string' && original['message'] !== ''
      ? original['message']
      : `Error while fetching subquery from service "${service}"`;
  const extensions = isPlainObject(original['extensions']) ? original['extensions'] : undefined;
  const path = Array.isArray(original['path'])
    ? (original['path'] as Array<string | number>).slice()
    : undefined;
  const options = {
    originalError: Object.assign(new Error(message), original) as Error,
    ...(path ? { path } : {}),
    extensions: { ...extensions, serviceName: service },
  };
  const codeDef = errorCodeDef(original as unknown as GraphQLError);
  if (!codeDef && extensions?.['code']) return new GraphQLError(message, options);
  return (codeDef ?? ERRORS.DOWNSTREAM_SERVICE_ERROR).err(message, options);
}

/** A subgraph's answer: parsed when it is JSON (`text` is then the JSON text it was parsed from). */
async function readResponse(response: FetcherResponse): Promise<{ body: unknown; json?: string }> {
  const contentType = response.headers.get('content-type');
  const text = await response.text();
  if (
    contentType &&
    (contentType.startsWith('application/json') ||
      contentType.startsWith('application/graphql-response+json'))
  ) {
    return { body: JSON.parse(text) as unknown, json: text };
  }
  return { body: text };
}

async function parseBody(response: FetcherResponse): Promise<unknown> {
  return (await readResponse(response)).body;
}

/** What the data source makes of a subgraph's non-2xx answer. */
async function errorFromResponse(response: FetcherResponse): Promise<GraphQLError> {
  const body = await parseBody(response);
  const extensions: Record<string, unknown> = {
    response: { url: response.url, status: response.status, statusText: response.statusText, body },
  };
  if (response.status === 401) extensions['code'] = 'UNAUTHENTICATED';
  else if (response.status === 403) extensions['code'] = 'FORBIDDEN';
  return new GraphQLError(`${response.status}: ${response.statusText}`, { extensions });
}

/**
 * Serves queries and mutations that one subgraph answers whole (the logon and logoff mutations, a
 * server's statistics) by passing the request on and the answer back: parse, validation, limits,
 * variables and authentication as for every request, then one subgraph request and no query-plan
 * execution. Whatever it cannot answer exactly as the Apollo pipeline would (another plan, an
 * `Accept` it does not serve, variables that do not coerce, a caller without valid credentials) it
 * leaves to that pipeline, before anything was sent: a request is never sent twice. Responses,
 * error shapes and status codes are the pipeline's; gateway/src/forwarding/forwarding.test.ts runs
 * the same requests both ways and compares them.
 */
export class SingleFetchForwarder {
  private readonly plans = new LruCache<string, ForwardablePlan | null>(1000);
  private readonly contentTypes = new LruCache<string, string | null>(100);
  private forPlanner: SupergraphPlanner | undefined;

  constructor(private readonly deps: ForwarderDependencies) {}

  private plan(request: ForwardRequest): ForwardablePlan | null {
    const planner = this.deps.planner();
    if (!planner) return null;
    if (planner !== this.forPlanner) {
      this.plans.clear();
      this.forPlanner = planner;
    }
    const key = `${request.operationName ?? ''}\u0000${request.query}`;
    const cached = this.plans.get(key);
    if (cached !== undefined) return cached;
    const prepared = this.deps.guard.validated(request.query, request.operationName);
    let plan: ForwardablePlan | null = null;
    if (prepared.ok) {
      try {
        plan = forwardablePlan(planner, prepared.document, prepared.operation);
      } catch {
        plan = null;
      }
    }
    this.plans.set(key, plan);
    return plan;
  }

  /** The response type Apollo would choose for this `Accept`, or null when it would refuse it. */
  private contentType(accept: string | undefined): string | null {
    if (!accept) return APPLICATION_JSON;
    const cached = this.contentTypes.get(accept);
    if (cached !== undefined) return cached;
    const chosen =
      new Negotiator({ headers: { accept } }).mediaType([APPLICATION_JSON, GRAPHQL_RESPONSE_JSON]) ?? null;
    this.contentTypes.set(accept, chosen);
    return chosen;
  }

  /** Answers the request and returns true, or returns false having sent nothing anywhere. */
  async forward(
    request: ForwardRequest,
    req: IncomingMessage,
    res: ServerResponse,
    resolved: (operationType: string, operationName: string | undefined) => void,
  ): Promise<boolean> {
    const plan = this.plan(request);
    if (!plan) return false;
    const contentType = this.contentType(req.headers.accept);
    if (!contentType) return false;
    const variables = request.variables ?? {};
    if (!isPlainObject(variables)) return false;
    const coerced = getVariableValues(plan.schema, plan.operation.variableDefinitions ?? [], variables, {
      maxErrors: 50,
    });
    if (coerced.errors) return false;
    const url = this.deps.subgraphUrl(plan.service);
    if (!url) return false;
    let credentials: Credentials;
    try {
      credentials = await this.deps.authenticate(req.headers.authorization);
    } catch {
      return false;
    }

    resolved(plan.operationType, plan.operation.name?.value);
    this.deps.forwarded(plan.service);
    const sent: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const name of plan.variableUsages) {
      if (Object.hasOwn(variables, name) && variables[name] !== undefined) sent[name] = variables[name];
    }
    const errors: unknown[] = [];
    let data: unknown;
    try {
      const response = await this.deps.fetcher(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: credentials.authorization,
          ...requestFactHeaders(requestFactsOf(req)),
        },
        body: JSON.stringify({ query: plan.query, variables: sent, operationName: plan.operationName }),
      });
      if (!response.ok) throw await errorFromResponse(response);
      const { body, json } = await readResponse(response);
      if (!isPlainObject(body)) throw new Error(`Expected JSON response body, but received: ${String(body)}`);
      // Only data (the usual answer): it is the answer as the subgraph wrote it, sent as it came.
      if (json !== undefined && isPlainObject(body['data']) && onlyData(body)) {
        this.send(res, 200, contentType, json);
        return true;
      }
      if (Array.isArray(body['errors'])) {
        for (const error of body['errors']) errors.push(downstreamError(error, plan.service));
      }
      data = body['data'];
    } catch (error) {
      errors.push(error);
    }
    this.respond(res, contentType, errors, isPlainObject(data) ? data : plan.emptyData);
    return true;
  }

  private respond(res: ServerResponse, contentType: string, errors: unknown[], data: unknown): void {
    let status = 200;
    const formatted = errors.map((raw) => {
      const error =
        raw instanceof GraphQLError
          ? raw
          : raw instanceof Error
            ? new GraphQLError(raw.message, { originalError: raw })
            : new GraphQLError(`Unexpected error value: ${String(raw)}`);
      const extensions: Record<string, unknown> = {
        ...error.extensions,
        code: error.extensions['code'] ?? 'INTERNAL_SERVER_ERROR',
      };
      const http = extensions['http'];
      if (isPlainObject(http)) {
        if (typeof http['status'] === 'number') status = http['status'];
        delete extensions['http'];
      }
      try {
        return this.deps.formatError({ ...error.toJSON(), extensions }, error);
      } catch {
        return { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
      }
    });
    if (formatted.length > 0) this.deps.countErrors(formatted.map((e) => e.extensions?.['code']));
    this.send(
      res,
      status,
      contentType,
      JSON.stringify({ errors: formatted.length > 0 ? formatted : undefined, data }),
    );
  }

  private send(res: ServerResponse, status: number, contentType: string, text: string): void {
    res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }
}
