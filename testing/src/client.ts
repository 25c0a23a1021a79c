import {
  type GatewaySigner,
  type GraphQLResponse,
  graphqlData as unsignedGraphqlData,
  graphqlRequest as unsignedGraphqlRequest,
} from '@lic/shared';
import { testSigner } from './config.js';

export { unsignedGraphqlRequest, unsignedGraphqlData };

/**
 * The GraphQL client for tests: signed as the gateway signs (testSigner), so it reaches a
 * subgraph directly as well as the gateway. unsignedGraphqlRequest is what anyone else sends.
 */
export function graphqlRequest<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
  signer: GatewaySigner = testSigner(),
): Promise<GraphQLResponse<T>> {
  return unsignedGraphqlRequest<T>(url, query, variables, token, signer);
}

/** graphqlData, signed as graphqlRequest is. */
export function graphqlData<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
  signer: GatewaySigner = testSigner(),
): Promise<T> {
  return unsignedGraphqlData<T>(url, query, variables, token, signer);
}
