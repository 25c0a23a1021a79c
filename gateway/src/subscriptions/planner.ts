import { buildOperationContext } from '@apollo/gateway';
import { type Schema, Supergraph, operationFromDocument } from '@apollo/federation-internals';
import { type FetchNode, type QueryPlan, QueryPlanner } from '@apollo/query-planner';
import {
  type DocumentNode,
  GraphQLError,
  type GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
  parse,
  print,
  stripIgnoredCharacters,
  visit,
} from 'graphql';
import { LruCache } from '../lru.js';

export type OperationContext = ReturnType<typeof buildOperationContext>;

/**
 * The service name under which an upstream event enters the query-plan executor: the plan's
 * primary fetch is re-pointed at it, so the executor takes the event as the primary result and
 * runs the rest (entity fetches to other subgraphs) exactly as it does for queries.
 */
export const EVENT_SOURCE = '__subscription_event__';

export interface SubscriptionPlan {
  /** The subgraph that owns the subscription field. */
  service: string;
  /** The subscribed root field's name (not its alias). */
  rootField: string;
  /** The primary fetch without the client's operation name, so identical selections dedupe. */
  upstreamQuery: string;
  upstreamVariableNames: readonly string[];
  /** Primary (as EVENT_SOURCE) then rest: executed once per event and subscriber group. */
  eventPlan: QueryPlan;
  hasEntityFetches: boolean;
  operationContext: OperationContext;
}

export interface SubgraphEndpoint {
  name: string;
  url: string;
}

function stripOperationName(operation: string): string {
  const document = visit(parse(operation), {
    OperationDefinition: (node) => ({ ...node, name: undefined }),
  });
  return stripIgnoredCharacters(print(document));
}

/** One loaded supergraph: its schemas, a query planner over it, and planned subscriptions (LRU). */
export class SupergraphPlanner {
  readonly apiSchema: GraphQLSchema;
  readonly federationApiSchema: Schema;
  readonly supergraphSchema: GraphQLSchema;
  readonly subgraphs: readonly SubgraphEndpoint[];
  private readonly planner: QueryPlanner;
  private readonly plans = new LruCache<string, SubscriptionPlan>(500);

  constructor(readonly supergraphSdl: string) {
    const supergraph = Supergraph.build(supergraphSdl);
    this.federationApiSchema = supergraph.apiSchema();
    this.apiSchema = this.federationApiSchema.toGraphQLJSSchema();
    this.supergraphSchema = supergraph.schema.toGraphQLJSSchema();
    this.subgraphs = supergraph.subgraphsMetadata().map(({ name, url }) => ({ name, url }));
    this.planner = new QueryPlanner(supergraph);
  }

  /** The query plan of a validated query or mutation (uncached: callers cache what they derive from it). */
  planOperation(document: DocumentNode, operationName: string | undefined): QueryPlan {
    return this.planner.buildQueryPlan(
      operationFromDocument(this.federationApiSchema, document, { operationName }),
    );
  }

  /** `cacheKey` identifies the client's document (its text and operation name). */
  planSubscription(
    cacheKey: string,
    document: DocumentNode,
    operation: OperationDefinitionNode,
  ): SubscriptionPlan {
    const cached = this.plans.get(cacheKey);
    if (cached) return cached;
    const operationName = operation.name?.value;
    const plan = this.planner.buildQueryPlan(
      operationFromDocument(this.federationApiSchema, document, { operationName }),
    );
    if (plan.node?.kind !== 'Subscription') {
      throw new GraphQLError('The operation is not a subscription the gateway can plan');
    }
    const { primary, rest } = plan.node;
    const eventFetch: FetchNode = { ...primary, serviceName: EVENT_SOURCE };
    const root = operation.selectionSet.selections.find((s) => s.kind === Kind.FIELD);
    const planned: SubscriptionPlan = {
      service: primary.serviceName,
      rootField: root?.kind === Kind.FIELD ? root.name.value : '',
      upstreamQuery: stripOperationName(primary.operation),
      upstreamVariableNames: primary.variableUsages ?? [],
      eventPlan: {
        kind: 'QueryPlan',
        node: rest ? { kind: 'Sequence', nodes: [eventFetch, rest] } : eventFetch,
      },
      hasEntityFetches: rest !== undefined,
      operationContext: buildOperationContext({
        schema: this.apiSchema,
        operationDocument: {
          kind: Kind.DOCUMENT,
          definitions: document.definitions.filter(
            (d) => d.kind === Kind.FRAGMENT_DEFINITION || d === operation,
          ),
        },
        ...(operationName ? { operationName } : {}),
      }),
    };
    this.plans.set(cacheKey, planned);
    return planned;
  }
}
