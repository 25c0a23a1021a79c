import { type Config, SUBGRAPH_NAMES, type SubgraphName } from '@lic/shared/core';

function isSubgraphName(name: string): name is SubgraphName {
  return (SUBGRAPH_NAMES as readonly string[]).includes(name);
}

/**
 * Where a subgraph answers: the configured URL for the platform's four subgraphs, otherwise the
 * URL its `join__graph` declares in the supergraph. Subscriptions use the same URL, ws scheme.
 */
export function resolveSubgraphUrl(
  config: Config,
  name: string,
  supergraphUrl: string | undefined,
): string | undefined {
  return isSubgraphName(name) ? config.subgraphUrls[name] : supergraphUrl;
}

export async function subgraphReady(url: string | undefined, timeoutMs: number): Promise<boolean> {
  if (!url) return false;
  try {
    const res = await fetch(new URL('/readyz', url), { signal: AbortSignal.timeout(timeoutMs) });
    return res.ok;
  } catch {
    return false;
  }
}
