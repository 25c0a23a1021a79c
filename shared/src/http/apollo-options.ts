import { type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { type Config } from '../config/config.js';

/**
 * Bounds the parser's work (and so validation's) on a GraphQL document, whatever the request size
 * limit lets through: the gateway and every subgraph parse with it.
 */
export const MAX_DOCUMENT_TOKENS = 20_000;

/** The Apollo Server settings the gateway and every subgraph share. */
export function apolloServerSettings(config: Pick<Config, 'introspection'>) {
  return {
    introspection: config.introspection,
    csrfPrevention: true,
    // The process's own shutdown (exitOnSignals) stops it: Apollo's would stop it and re-raise the signal.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: false,
    parseOptions: { maxTokens: MAX_DOCUMENT_TOKENS },
  } as const;
}

/**
 * Apollo's plugins the platform turns off everywhere. No server sets cache hints and the gateway
 * ignores them: the cache-control plugin only wrapped every field's resolver (on the logon path,
 * about 4% of Apollo Server's own time). Nothing is reported to Apollo's cloud.
 */
export function disabledApolloPlugins<TContext extends BaseContext>(): ApolloServerPlugin<TContext>[] {
  return [ApolloServerPluginCacheControlDisabled(), ApolloServerPluginUsageReportingDisabled()];
}
