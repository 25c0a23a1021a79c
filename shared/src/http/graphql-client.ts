import { GraphQLError } from 'graphql';
import { type GatewaySigner } from './gateway-signature.js';

export interface GraphQLResponse<T> {
  data?: T | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
}

/**
 * A small HTTP GraphQL client (seeding, tests, benchmarks). Given the gateway's `signer`, it signs
 * the request as the gateway does, which a subgraph called directly requires.
 */
export async function graphqlRequest<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
  signer?: GatewaySigner,
): Promise<GraphQLResponse<T>> {
  const authorization = token ? `Bearer ${token}` : undefined;
  const body = JSON.stringify({ query, variables });
  const { pathname, search } = new URL(url);
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(authorization ? { authorization } : {}),
      ...signer?.headers({ method: 'POST', path: `${pathname}${search}`, authorization, body }),
    },
    body,
  });
  const text = await res.text();
  try {
    return JSON.parse(text) as GraphQLResponse<T>;
  } catch {
    throw new Error(`GraphQL endpoint answered ${res.status} with non-JSON: ${text.slice(0, 200)}`);
  }
}

/** Like graphqlRequest, but throws the first error (with its code) instead of returning it. */
export async function graphqlData<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
  signer?: GatewaySigner,
): Promise<T> {
  const result = await graphqlRequest<T>(url, query, variables, token, signer);
  if (result.errors?.length) {
    const first = result.errors[0]!;
    throw new GraphQLError(first.message, { extensions: first.extensions ?? {} });
  }
  if (!result.data) throw new Error('GraphQL response had neither data nor errors');
  return result.data;
}
