import { type CheckDetails, type Config, SUBGRAPH_NAMES, type SubgraphName } from '@lic/shared/core';

function isSubgraphName(name: string): name is SubgraphName {
  return (SUBGRAPH_NAMES as readonly string[]).includes(name);
}

/** What clients of the gateway lose while a subgraph is down (named in the gateway's `/readyz`). */
export const SUBGRAPH_CAPABILITIES: Record<SubgraphName, string> = {
  accounts: 'accounts, install sites, sales orders and activation files',
  allocation: 'logons and logoffs, licence allocation, servers and live statistics',
  billing: 'usage tracking, billing periods and usage reports',
  enforcement: 'enforcement stages and their history',
};

export function subgraphCapability(name: string): string {
  return isSubgraphName(name) ? SUBGRAPH_CAPABILITIES[name] : `the fields of subgraph ${name}`;
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

/**
 * A subgraph's own `/readyz`: ok when it answers 200 (ready or degraded, its status reported);
 * down when it answers 503 (its failing dependencies named) or not at all (throws).
 */
export async function subgraphReadiness(url: string | undefined, signal: AbortSignal): Promise<CheckDetails> {
  if (!url) throw new Error('no URL configured');
  const res = await fetch(new URL('/readyz', url), { signal });
  const body = (await res.json().catch(() => ({}))) as {
    status?: string;
    checks?: Record<string, { ok?: boolean; error?: string }>;
  };
  const status = typeof body.status === 'string' ? body.status : `HTTP ${res.status}`;
  if (res.ok) return { status, degraded: status !== 'ready' };
  const down = Object.entries(body.checks ?? {})
    .filter(([, check]) => check.ok === false)
    .map(([name, check]) => `${name}${check.error ? ` (${check.error})` : ''}`);
  return { ok: false, status, error: down.length > 0 ? `${status}: ${down.join(', ')} down` : status };
}
