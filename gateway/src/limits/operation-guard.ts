import {
  type DocumentNode,
  GraphQLError,
  type GraphQLSchema,
  Kind,
  NoSchemaIntrospectionCustomRule,
  type OperationDefinitionNode,
  getOperationAST,
  parse,
  specifiedRules,
  validate,
} from 'graphql';
import {
  MAX_DOCUMENT_TOKENS,
  type Complexity,
  type OperationLimits,
  costLimitFor,
  exceededLimit,
  measureOperation,
  queryTooComplexError,
} from '@lic/shared/core';
import { badRequestError, requestError } from '../errors.js';
import { LruCache } from '../lru.js';
import { textNesting } from './nesting.js';

/** Bounds the parser's work (and so validation's) whatever the request size limit lets through. */
export const MAX_TOKENS = MAX_DOCUMENT_TOKENS;

/**
 * The deepest nesting of brackets the gateway parses at all. Far above what the depth limit lets
 * run (selections, arguments and list values together), far below what blows the parser's stack.
 */
export const MAX_TEXT_NESTING = 64;

export type Prepared =
  | { ok: true; document: DocumentNode; operation: OperationDefinitionNode }
  | { ok: false; errors: GraphQLError[] };

/** Who asks and with what: the cost limit is the caller's roles', list sizes may be variables. */
export interface Caller {
  roles?: readonly string[];
  variables?: Record<string, unknown> | null;
}

interface Entry {
  document?: DocumentNode;
  syntaxError?: GraphQLError;
  tooDeepToParse?: GraphQLError | null;
  /** The figures measured from the text alone; `sizedByVariables`: the cost needs the variables. */
  measured?: { complexity: Complexity; sizedByVariables: boolean };
  httpRefusal?: GraphQLError | null;
  prepared?: Prepared;
}

/**
 * Parses, measures and validates operations once per distinct text (LRU): the limits are checked
 * right after parsing, before validation and long before any subgraph is called.
 */
export class OperationGuard {
  private readonly cache = new LruCache<string, Entry>(1000);
  private schema: GraphQLSchema | undefined;

  constructor(
    private readonly limits: OperationLimits,
    private readonly introspection: boolean,
  ) {}

  /** A new supergraph: validation and cost verdicts depend on it. */
  setSchema(schema: GraphQLSchema): void {
    this.schema = schema;
    this.cache.clear();
  }

  private entry(query: string, operationName: string | undefined): Entry {
    const key = `${operationName ?? ''}\u0000${query}`;
    let entry = this.cache.get(key);
    if (!entry) {
      entry = {};
      const nesting = textNesting(query, MAX_TEXT_NESTING);
      entry.tooDeepToParse =
        nesting > MAX_TEXT_NESTING
          ? queryTooComplexError(
              `The operation nests too deeply: more than ${MAX_TEXT_NESTING} levels of brackets`,
              { maxNesting: MAX_TEXT_NESTING },
            )
          : null;
      if (!entry.tooDeepToParse) {
        try {
          entry.document = parse(query, { maxTokens: MAX_TOKENS });
        } catch (error) {
          entry.syntaxError = error instanceof GraphQLError ? error : new GraphQLError(String(error));
        }
      }
      this.cache.set(key, entry);
    }
    return entry;
  }

  /**
   * The limit an operation breaks for this caller, or undefined (also when it does not parse: the
   * parser reports that). The figures are measured once per text; only an operation whose list
   * sizes are variables is measured again, with the request's values.
   */
  tooComplex(query: string, operationName?: string, caller: Caller = {}): GraphQLError | undefined {
    const entry = this.entry(query, operationName);
    if (entry.tooDeepToParse) return entry.tooDeepToParse;
    if (!entry.document) return undefined;
    entry.measured ??= measureOperation(entry.document, this.schema, operationName);
    const complexity = entry.measured.sizedByVariables
      ? measureOperation(entry.document, this.schema, operationName, { variables: caller.variables ?? null })
          .complexity
      : entry.measured.complexity;
    const limits = { ...this.limits, maxCost: costLimitFor(this.limits, caller.roles) };
    const message = exceededLimit(complexity, limits);
    if (!message) return undefined;
    return queryTooComplexError(message, {
      depth: complexity.depth,
      aliases: complexity.aliases,
      cost: complexity.cost,
      maxDepth: limits.maxDepth,
      maxAliases: limits.maxAliases,
      maxCost: limits.maxCost,
    });
  }

  /**
   * What refuses an HTTP request before authentication and planning, or undefined: the limits,
   * then the client mistakes about which operation to run (several without `operationName`, an
   * unknown `operationName`, a subscription, which is served over graphql-ws only). All are 400s
   * with a stable code; syntax and validation errors are left to Apollo, which answers them so.
   */
  refuseHttp(query: string, operationName?: string, caller: Caller = {}): GraphQLError | undefined {
    const tooComplex = this.tooComplex(query, operationName, caller);
    if (tooComplex) return tooComplex;
    const entry = this.entry(query, operationName);
    if (!entry.document) return undefined;
    if (entry.httpRefusal === undefined)
      entry.httpRefusal = httpOperationRefusal(entry.document, operationName);
    return entry.httpRefusal ?? undefined;
  }

  /** Parse, limits (for this caller), validation and operation selection, as over HTTP (graphql-ws path). */
  prepare(query: string, operationName: string | undefined, caller: Caller): Prepared {
    const entry = this.entry(query, operationName);
    if (this.schema && entry.document && !entry.tooDeepToParse) {
      const tooComplex = this.tooComplex(query, operationName, caller);
      if (tooComplex) return { ok: false, errors: [tooComplex] };
    }
    return this.validated(query, operationName);
  }

  /**
   * Parse, validation and operation selection, without the depth, alias and cost limits: for a
   * request that has passed them already (the forwarder, behind the HTTP check).
   */
  validated(query: string, operationName: string | undefined): Prepared {
    if (!this.schema)
      return { ok: false, errors: [new GraphQLError('The gateway has not loaded its schema yet')] };
    const entry = this.entry(query, operationName);
    if (entry.prepared) return entry.prepared;
    entry.prepared = this.computePrepared(entry, operationName, this.schema);
    return entry.prepared;
  }

  private computePrepared(entry: Entry, operationName: string | undefined, schema: GraphQLSchema): Prepared {
    if (entry.tooDeepToParse) return { ok: false, errors: [entry.tooDeepToParse] };
    if (!entry.document) {
      return {
        ok: false,
        errors: [requestError('GRAPHQL_PARSE_FAILED', entry.syntaxError ?? new GraphQLError('Syntax error'))],
      };
    }
    const rules = this.introspection ? specifiedRules : [...specifiedRules, NoSchemaIntrospectionCustomRule];
    const errors = validate(schema, entry.document, rules);
    if (errors.length > 0) {
      return { ok: false, errors: errors.map((e) => requestError('GRAPHQL_VALIDATION_FAILED', e)) };
    }
    const operation = getOperationAST(entry.document, operationName);
    if (!operation) {
      const message = operationName
        ? `Unknown operation named "${operationName}"`
        : 'Must provide operation name if query contains multiple operations';
      return { ok: false, errors: [requestError('OPERATION_RESOLUTION_FAILURE', new GraphQLError(message))] };
    }
    return { ok: true, document: entry.document, operation };
  }
}

function httpOperationRefusal(
  document: DocumentNode,
  operationName: string | undefined,
): GraphQLError | null {
  const operation = getOperationAST(document, operationName);
  if (!operation) {
    const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION).length;
    if (operations === 0) return null; // validation names it (a document of fragments only)
    return operationName
      ? badRequestError(`Unknown operation named "${operationName}"`, 'UNKNOWN_OPERATION_NAME')
      : badRequestError(
          'Must provide operationName when the document contains several operations',
          'OPERATION_NAME_REQUIRED',
        );
  }
  if (operation.operation === 'subscription') {
    return badRequestError(
      'Subscriptions are served over graphql-ws on this URL, not over HTTP',
      'SUBSCRIPTION_OVER_HTTP',
    );
  }
  return null;
}
