import { type GraphQLDataSource, executeQueryPlan } from '@apollo/gateway';
import { type ExecutionResult, GraphQLError, type GraphQLFormattedError } from 'graphql';
import { type Logger } from '@lic/shared/core';
import { type GatewayContext } from '../context.js';
import { toGraphQLError } from '../errors.js';
import { EVENT_SOURCE, type SubscriptionPlan, type SupergraphPlanner } from './planner.js';

/** One `next` payload of an upstream subscription, as graphql-ws hands it over. */
export interface UpstreamEvent {
  data?: Record<string, unknown> | null;
  errors?: readonly GraphQLFormattedError[];
}

type RequestContext = Parameters<typeof executeQueryPlan>[2];

function upstreamError(error: GraphQLFormattedError): GraphQLError {
  return new GraphQLError(error.message, {
    ...(error.path ? { path: error.path } : {}),
    extensions: error.extensions ?? {},
  });
}

/**
 * Resolves the fields other subgraphs own on one subscription event, through @apollo/gateway's
 * query-plan executor (not a public API: versions are pinned and tests cover it). The executor
 * hands back raw fetch errors; every error leaves here as a GraphQLError.
 */
export class EventExecutor {
  constructor(
    private readonly dataSources: ReadonlyMap<string, GraphQLDataSource>,
    private readonly logger: Logger,
  ) {}

  async execute(
    planner: SupergraphPlanner,
    plan: SubscriptionPlan,
    event: UpstreamEvent,
    variables: Record<string, unknown>,
    context: GatewayContext,
  ): Promise<ExecutionResult> {
    const eventErrors = (event.errors ?? []).map(upstreamError);
    if (!event.data) return { data: null, errors: eventErrors };
    const data = event.data;
    const serviceMap: Record<string, GraphQLDataSource> = Object.fromEntries(this.dataSources);
    // Each execution gets its own copy: the executor merges entity data into what it is given.
    serviceMap[EVENT_SOURCE] = { process: async () => ({ data: structuredClone(data) }) };
    const requestContext = {
      request: { variables },
      context,
      logger: this.logger,
      metrics: {},
      overallCachePolicy: undefined,
    } as unknown as RequestContext;
    try {
      const result = await executeQueryPlan(
        plan.eventPlan,
        serviceMap,
        requestContext,
        plan.operationContext,
        planner.supergraphSchema,
        planner.federationApiSchema,
      );
      const errors = [...eventErrors, ...(result.errors ?? []).map((e) => toGraphQLError(e))];
      return errors.length > 0 ? { data: result.data ?? null, errors } : { data: result.data ?? null };
    } catch (error) {
      return { data: null, errors: [...eventErrors, toGraphQLError(error)] };
    }
  }
}
