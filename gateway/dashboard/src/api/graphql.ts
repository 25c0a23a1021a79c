import { type TypedDocumentNode } from '@graphql-typed-document-node/core';
import { type DocumentNode, print } from 'graphql';

/** The gateway's endpoint: same origin as the dashboard (HTTP POST and graphql-ws). */
export const GRAPHQL_PATH = '/graphql';

/** A GraphQL error as the API reports it, with its stable code (docs/api.md). */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: Array<{ message: string; extensions?: { code?: string; reason?: string } }>;
}

/**
 * Whether an answer is partial on purpose: data came back and every error only says a subgraph is
 * unavailable (docs/api.md, "Partial results"), its nullable fields null. Such an answer is shown,
 * the missing parts as unavailable; any other error rejects.
 */
export function isPartialAnswer(body: GraphQLResponse<unknown> | undefined): boolean {
  const errors = body?.errors ?? [];
  return (
    body?.data != null &&
    errors.length > 0 &&
    errors.every((e) => e.extensions?.reason === 'SUBGRAPH_UNAVAILABLE')
  );
}

const printed = new WeakMap<DocumentNode, string>();

export function operationText(document: DocumentNode): string {
  let text = printed.get(document);
  if (text === undefined) {
    text = print(document);
    printed.set(document, text);
  }
  return text;
}

/** The first error of a response, or a plain failure when the body is not GraphQL. */
export function responseError(
  status: number,
  body: GraphQLResponse<unknown> | undefined,
): ApiError | undefined {
  const first = body?.errors?.[0];
  if (first) return new ApiError(first.message, first.extensions?.code);
  if (status === 401) return new ApiError('The token was not accepted', 'UNAUTHENTICATED');
  if (status >= 400 || !body) return new ApiError(`The gateway answered HTTP ${status}`, undefined);
  return undefined;
}

/**
 * Sends a typed operation to the gateway; a GraphQL error rejects with its code, except a subgraph
 * being unavailable when the rest of the answer came through (then the partial data resolves).
 */
export async function request<TResult, TVariables>(
  document: TypedDocumentNode<TResult, TVariables>,
  variables: TVariables,
  token: string,
  signal?: AbortSignal,
): Promise<TResult> {
  let res: Response;
  try {
    res = await fetch(GRAPHQL_PATH, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: operationText(document), variables }),
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError('The gateway cannot be reached', 'NETWORK');
  }
  let body: GraphQLResponse<TResult> | undefined;
  try {
    body = (await res.json()) as GraphQLResponse<TResult>;
  } catch {
    body = undefined;
  }
  if (res.ok && isPartialAnswer(body)) return body!.data as TResult;
  const error = responseError(res.status, body);
  if (error) throw error;
  return body!.data as TResult;
}
