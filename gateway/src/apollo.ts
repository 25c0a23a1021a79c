import { ApolloGateway, type GraphQLDataSource, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
} from '@apollo/server/plugin/disabled';
import {
  type ExecutionResult,
  GraphQLError,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type OperationDefinitionNode,
  getVariableValues,
} from 'graphql';
import {
  type Config,
  type Logger,
  apolloServerSettings,
  disabledApolloPlugins,
  nameActiveSpan,
  strictenDateTime,
} from '@lic/shared/core';
import { type GatewayContext } from './context.js';
import {
  connectionLostError,
  errorChainText,
  invalidVariableError,
  isConnectionLostAfterSend,
  isTransportFailure,
  maskError,
  subgraphUnavailableError,
} from './errors.js';
import { type GatewayMetrics } from './metrics.js';
import { requestFactHeaders } from './request-facts.js';
import { type SubgraphFetcher } from './subgraph-fetcher.js';
import { resolveSubgraphUrl } from './subgraphs.js';
import { SupergraphPlanner } from './subscriptions/planner.js';
import { type WsServerOptions } from './subscriptions/ws-server.js';

/**
 * The supergraph Apollo loaded last. Everything that plans or routes (the guard, the forwarder,
 * the subscription bridge, readiness) reads it through here, so a schema update reaches all of
 * them at once; until the first load there is no planner.
 */
export class LoadedSupergraph {
  planner: SupergraphPlanner | undefined;

  constructor(private readonly config: Config) {}

  /** Bound, so that it can be handed on as a callback. */
  readonly subgraphUrl = (name: string): string | undefined => {
    const fromSupergraph = this.planner?.subgraphs.find((s) => s.name === name)?.url;
    return resolveSubgraphUrl(this.config, name, fromSupergraph);
  };
}

export interface ApolloGatewayOptions {
  supergraphSdl: string;
  fetcher: SubgraphFetcher;
  /** Filled as Apollo builds them: subscription events are resolved through the same sources. */
  dataSources: Map<string, GraphQLDataSource>;
  /** Each (re)load of the supergraph, once its dates are strict. */
  loaded(planner: SupergraphPlanner): void;
}

/** Apollo's gateway over the static supergraph, calling subgraphs through the signing fetcher. */
export function createApolloGateway(config: Config, options: ApolloGatewayOptions): ApolloGateway {
  const { fetcher, dataSources } = options;
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    buildService: ({ name, url }) => {
      const dataSource = new RemoteGraphQLDataSource<GatewayContext>({
        url: resolveSubgraphUrl(config, name, url),
        fetcher,
        // Cache hints are for HTTP caches in front of the gateway, which this platform has none of.
        honorSubgraphCacheControlHeader: false,
        willSendRequest({ request, context }) {
          // Subgraphs verify the token again (and the fetcher signs the request for them).
          if (context.authorization) request.http?.headers.set('authorization', context.authorization);
          for (const [name, value] of Object.entries(requestFactHeaders(context.requestFacts)))
            request.http?.headers.set(name, value);
        },
      });
      dataSources.set(name, dataSource);
      return dataSource;
    },
  });
  gateway.onSchemaLoadOrUpdate(({ apiSchema, coreSupergraphSdl }) => {
    // An invalid date is the client's mistake, refused here before any subgraph is called.
    strictenDateTime(apiSchema);
    const planner = new SupergraphPlanner(coreSupergraphSdl);
    strictenDateTime(planner.apiSchema);
    options.loaded(planner);
  });
  return gateway;
}

export type FormatError = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

/**
 * Errors as clients see them (Apollo's answers and forwarded ones alike): a subgraph that cannot be
 * reached is named in a clean error instead of a masked one; anything internal is masked and logged.
 */
export function gatewayErrorFormatter(logger: Logger, supergraph: LoadedSupergraph): FormatError {
  const unreachableService = (error: unknown): string | undefined => {
    if (!isTransportFailure(error)) return undefined;
    const text = errorChainText(error);
    for (const { name } of supergraph.planner?.subgraphs ?? []) {
      const url = supergraph.subgraphUrl(name);
      if (url && text.includes(new URL(url).host)) return name;
    }
    return 'upstream';
  };
  return (formatted, error) => {
    const service = unreachableService(error);
    if (service) {
      const lost = isConnectionLostAfterSend(error);
      logger.warn(
        { err: error, subgraph: service },
        lost ? 'subgraph connection lost after the mutation was sent' : 'subgraph unreachable',
      );
      const unavailable = (lost ? connectionLostError(service) : subgraphUnavailableError(service)).toJSON();
      return maskError({ ...unavailable, ...(formatted.path ? { path: formatted.path } : {}) }).error;
    }
    const { error: safe, masked } = maskError(formatted);
    if (masked) logger.error({ err: error }, 'internal error');
    return safe;
  };
}

/**
 * The gateway executes no resolvers, so nothing coerces the variables before the query plan sends
 * them on: coerced here against the API schema (whose DateTime is strict), a wrong value is the
 * client's mistake (BAD_USER_INPUT, 400), not a subgraph's failure.
 */
function refuseInvalidVariables(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
): void {
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {}, {
    maxErrors: 1,
  });
  const first = coerced.errors?.[0];
  if (first) throw invalidVariableError(first);
}

export interface ApolloServerOptions {
  gateway: ApolloGateway;
  metrics: GatewayMetrics;
  formatError: FormatError;
}

/** Apollo Server over the gateway: HTTP queries and mutations, and those sent over graphql-ws. */
export function createApolloServer(
  config: Config,
  { gateway, metrics, formatError }: ApolloServerOptions,
): ApolloServer<GatewayContext> {
  return new ApolloServer<GatewayContext>({
    gateway,
    ...apolloServerSettings(config),
    plugins: [
      ...disabledApolloPlugins<GatewayContext>(),
      ApolloServerPluginSchemaReportingDisabled(),
      ...(config.env === 'production' ? [ApolloServerPluginLandingPageDisabled()] : []),
      {
        async requestDidStart() {
          return {
            async didResolveOperation({ operation, contextValue, request, schema }) {
              if (contextValue.requestInfo && operation) {
                contextValue.requestInfo.operation = operation.operation;
                nameActiveSpan(operation.operation, operation.name?.value);
              }
              if (operation) refuseInvalidVariables(schema, operation, request.variables);
            },
            async willSendResponse({ response, contextValue }) {
              // graphql-ws operations (no requestInfo) are counted where they are sent.
              if (contextValue.requestInfo && response.body.kind === 'single') {
                metrics.countErrors(
                  (response.body.singleResult.errors ?? []).map((e) => e.extensions?.['code']),
                );
              }
            },
          };
        },
      },
    ],
    formatError,
  });
}

/** Queries and mutations sent over graphql-ws run through Apollo too, answered as graphql-ws results. */
export function executeThroughApollo(
  apollo: ApolloServer<GatewayContext>,
): WsServerOptions['executeOperation'] {
  return async (request, context): Promise<ExecutionResult> => {
    const response = await apollo.executeOperation(request, { contextValue: context });
    if (response.body.kind !== 'single')
      return { errors: [new GraphQLError('Incremental delivery is not supported')] };
    const { data, errors } = response.body.singleResult;
    return {
      data: data ?? null,
      ...(errors
        ? {
            errors: errors.map(
              (e) =>
                new GraphQLError(e.message, {
                  ...(e.path ? { path: e.path } : {}),
                  extensions: e.extensions ?? {},
                }),
            ),
          }
        : {}),
    };
  };
}
