import {
  type DocumentNode,
  GraphQLError,
  type GraphQLSchema,
  NoSchemaIntrospectionCustomRule,
  type OperationDefinitionNode,
  getOperationAST,
  parse,
  specifiedRules,
  validate,
} from 'graphql';
import {
  type OperationLimits,
  exceededLimit,
  measureComplexity,
  queryTooComplexError,
} from '@lic/shared/core';
import { requestError } from '../errors.js';
import { LruCache } from '../lru.js';

/** Bounds the parser's work (and so validation's) whatever the request size limit lets through. */
export const MAX_TOKENS = 20_000;

export type Prepared =
  | { ok: true; document: DocumentNode; operation: OperationDefinitionNode }
  | { ok: false; errors: GraphQLError[] };

interface Entry {
  document?: DocumentNode;
  syntaxError?: GraphQLError;
  tooComplex?: GraphQLError | null;
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
      try {
        entry.document = parse(query, { maxTokens: MAX_TOKENS });
      } catch (error) {
        entry.syntaxError = error instanceof GraphQLError ? error : new GraphQLError(String(error));
      }
      this.cache.set(key, entry);
    }
    return entry;
  }

  /** The limit an operation breaks, or undefined (also when it does not parse: the parser reports that). */
  tooComplex(query: string, operationName?: string): GraphQLError | undefined {
    const entry = this.entry(query, operationName);
    if (!entry.document) return undefined;
    if (entry.tooComplex === undefined) {
      const complexity = measureComplexity(entry.document, this.schema, operationName);
      const message = exceededLimit(complexity, this.limits);
      entry.tooComplex = message
        ? queryTooComplexError(message, {
            depth: complexity.depth,
            aliases: complexity.aliases,
            cost: complexity.cost,
            maxDepth: this.limits.maxDepth,
            maxAliases: this.limits.maxAliases,
            maxCost: this.limits.maxCost,
          })
        : null;
    }
    return entry.tooComplex ?? undefined;
  }

  /** Parse, limits, validation and operation selection, as the HTTP path does them (graphql-ws path). */
  prepare(query: string, operationName: string | undefined): Prepared {
    if (!this.schema)
      return { ok: false, errors: [new GraphQLError('The gateway has not loaded its schema yet')] };
    const entry = this.entry(query, operationName);
    if (entry.prepared) return entry.prepared;
    entry.prepared = this.computePrepared(entry, query, operationName, this.schema);
    return entry.prepared;
  }

  private computePrepared(
    entry: Entry,
    query: string,
    operationName: string | undefined,
    schema: GraphQLSchema,
  ): Prepared {
    if (!entry.document) {
      return {
        ok: false,
        errors: [requestError('GRAPHQL_PARSE_FAILED', entry.syntaxError ?? new GraphQLError('Syntax error'))],
      };
    }
    const tooComplex = this.tooComplex(query, operationName);
    if (tooComplex) return { ok: false, errors: [tooComplex] };
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
