export interface HttpResult {
  status: number;
  body: {
    data?: Record<string, unknown> | null;
    errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
  };
  text: string;
}

/** POSTs a GraphQL request and keeps the status and the raw text (tests assert on both). */
export async function postGraphQL(
  url: string,
  query: string,
  options: { token?: string; variables?: Record<string, unknown>; headers?: Record<string, string> } = {},
): Promise<HttpResult> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: JSON.stringify({ query, variables: options.variables ?? {} }),
  });
  const text = await res.text();
  let body: HttpResult['body'] = {};
  try {
    body = JSON.parse(text) as HttpResult['body'];
  } catch {
    // Not JSON: the test looks at `text`.
  }
  return { status: res.status, body, text };
}
