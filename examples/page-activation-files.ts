/**
 * A partner's client, with nothing of this repository but the API: pages through an account's
 * activation files with `activationFilesConnection` and `fetch`, one request per page, until
 * `pageInfo.hasNextPage` is false. Run it (after `npm run build`):
 *
 *   LIC_URL=http://127.0.0.1:4000/graphql LIC_TOKEN=<token or API key> LIC_ACCOUNT=<account id> \
 *     node examples/dist/page-activation-files.js
 */

export interface ActivationFileSummary {
  id: string;
  fileName: string;
  generatedAt: string;
  active: boolean;
}

interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

interface FilesPage {
  activationFilesConnection: {
    edges: Array<{ cursor: string; node: ActivationFileSummary }>;
    pageInfo: PageInfo;
  };
}

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: Array<{ message: string; extensions?: { code?: string; reason?: string } }>;
}

const FILES_PAGE = `query FilesPage($accountId: ID!, $first: Int, $after: String) {
  activationFilesConnection(accountId: $accountId, first: $first, after: $after) {
    edges { cursor node { id fileName generatedAt active } }
    pageInfo { hasNextPage endCursor }
  }
}`;

async function graphql<T>(url: string, token: string, query: string, variables: object): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as GraphQLResponse<T>;
  const error = body.errors?.[0];
  if (error) throw new Error(`${error.extensions?.code ?? 'ERROR'}: ${error.message}`);
  if (!body.data) throw new Error(`HTTP ${response.status} without data`);
  return body.data;
}

/** Every activation file of the account, newest first, `pageSize` per request. */
export async function* activationFiles(
  url: string,
  token: string,
  accountId: string,
  pageSize = 50,
): AsyncGenerator<ActivationFileSummary> {
  let after: string | null = null;
  for (;;) {
    const page: FilesPage = await graphql<FilesPage>(url, token, FILES_PAGE, {
      accountId,
      first: pageSize,
      after,
    });
    for (const edge of page.activationFilesConnection.edges) yield edge.node;
    const { hasNextPage, endCursor } = page.activationFilesConnection.pageInfo;
    if (!hasNextPage) return;
    after = endCursor;
  }
}

async function main(): Promise<void> {
  // A partner's script, not a service of the platform: it reads its own environment.
  // eslint-disable-next-line no-restricted-properties
  const { LIC_URL, LIC_TOKEN, LIC_ACCOUNT, LIC_PAGE_SIZE } = process.env;
  if (!LIC_URL || !LIC_TOKEN || !LIC_ACCOUNT) throw new Error('Set LIC_URL, LIC_TOKEN and LIC_ACCOUNT');
  for await (const file of activationFiles(LIC_URL, LIC_TOKEN, LIC_ACCOUNT, Number(LIC_PAGE_SIZE ?? 50))) {
    console.log(`${file.generatedAt} ${file.id} ${file.fileName}${file.active ? '' : ' (inactive)'}`);
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
